import { LoadingState, PageHeader, ProblemAlert, SelectField, StatusBadge, type Problem } from '@ehrms/ui';
import {
  ActionIcon,
  Alert,
  Box,
  Button,
  Checkbox,
  Group,
  Menu,
  SegmentedControl,
  Text,
  TextInput,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';
import { Link } from 'react-router';
import { scheduling } from '../../api/endpoints.js';
import { problemOf } from '../../api/errors.js';
import type { Appointment, SchedulingResource } from '../../api/types.js';
import { can, PERMISSIONS } from '../../auth/permissions.js';
import { useMe } from '../../auth/useSession.js';
import { usePageTitle } from '../../pageTitle.js';
import { RedisclosureNotice } from '../clients/ProgramsTab.js';
import { EditOccurrenceDialog } from './EditOccurrenceDialog.js';
import { RescheduleDialog } from './RescheduleDialog.js';
import {
  APPOINTMENTS_KEY,
  AppointmentStatusBadge,
  SCHEDULING_KEY,
  statusLabel,
  useAppointmentTypes,
  whoLabel,
} from './shared.js';
import {
  addDays,
  clockLabel,
  formatDay,
  formatDayTime,
  formatTime,
  isoWeekday,
  localParts,
  mondayOf,
  todayIn,
  zonedInstant,
  zoneLabel,
} from './time.js';

/** Pixels per minute on the time grid (an hour is 72 px). */
const PPM = 1.2;
/** Drag snaps to this many minutes. */
const SNAP = 15;
const HIDDEN_BY_DEFAULT = new Set(['cancelled', 'rescheduled']);

type View = 'day' | 'week';

/** A provider's (or room's) day or week: appointments by time in the agency's zone, moved by dragging or from their menu. */
export function CalendarPage() {
  usePageTitle('Schedule');
  const { data: me } = useMe();
  const resources = useQuery({
    queryKey: [...SCHEDULING_KEY, 'resources', 'all'],
    queryFn: () => scheduling.resources({ active: 'true', limit: 200 }),
    staleTime: 60_000,
  });
  const [resourceId, setResourceId] = useState<string | null>(null);
  const [view, setView] = useState<View>('day');
  const [date, setDate] = useState<string | null>(null);
  const [showAll, setShowAll] = useState(false);
  const items = sortResources(resources.data?.items ?? []);
  const resource = items.find((r) => r.id === resourceId) ?? items[0];

  const hours = useQuery({
    queryKey: [...SCHEDULING_KEY, 'hours', resource?.id],
    queryFn: () => scheduling.hours(resource?.id ?? ''),
    enabled: Boolean(resource),
  });
  const timeZone = hours.data?.timeZone;
  const day = date ?? (timeZone ? todayIn(timeZone) : null);
  const days = day
    ? view === 'day'
      ? [day]
      : [0, 1, 2, 3, 4, 5, 6].map((n) => addDays(mondayOf(day), n))
    : [];
  const first = days[0];
  const last = days[days.length - 1];
  const range =
    timeZone && first && last
      ? {
          from: zonedInstant(first, 0, timeZone).toISOString(),
          to: zonedInstant(addDays(last, 1), 0, timeZone).toISOString(),
        }
      : null;
  const appointments = useQuery({
    queryKey: [...APPOINTMENTS_KEY, 'calendar', resource?.id, range],
    queryFn: () => scheduling.appointments({ resourceId: resource?.id, from: range?.from, to: range?.to }),
    enabled: Boolean(resource && range),
  });

  if (resources.isPending) return <LoadingState label="Loading the calendars…" />;
  return (
    <>
      <PageHeader
        title="Schedule"
        description={
          timeZone ? `Times are the agency’s: ${zoneLabel(timeZone)}.` : 'Appointments of a provider or room.'
        }
      />
      <ProblemAlert problem={problemOf(resources.error ?? hours.error ?? appointments.error)} />
      {items.length === 0 && !resources.isError ? (
        <Text>No calendars (resources) in this agency yet.</Text>
      ) : null}
      {resource ? (
        <Group align="flex-end" gap="md" mb="md" wrap="wrap">
          <SelectField
            label="Calendar"
            value={resource.id}
            onChange={setResourceId}
            data={items.map((r) => ({ value: r.id, label: `${r.name} (${r.kind})` }))}
            searchable
            w={280}
          />
          <div>
            <Text component="span" id="calendar-view-label" size="sm" fw={500} display="block" mb={4}>
              View
            </Text>
            <SegmentedControl
              aria-labelledby="calendar-view-label"
              value={view}
              onChange={(v) => setView(v as View)}
              data={[
                { value: 'day', label: 'Day' },
                { value: 'week', label: 'Week' },
              ]}
            />
          </div>
          <TextInput
            label={view === 'day' ? 'Day' : 'A day in the week'}
            type="date"
            value={day ?? ''}
            onChange={(e) => setDate(e.currentTarget.value || null)}
          />
          <Group gap="xs">
            <Button variant="default" onClick={() => day && setDate(addDays(day, view === 'day' ? -1 : -7))}>
              Previous {view}
            </Button>
            <Button variant="default" onClick={() => setDate(null)}>
              Today
            </Button>
            <Button variant="default" onClick={() => day && setDate(addDays(day, view === 'day' ? 1 : 7))}>
              Next {view}
            </Button>
          </Group>
          <Checkbox
            label="Show cancelled and rescheduled"
            checked={showAll}
            onChange={(e) => setShowAll(e.currentTarget.checked)}
          />
        </Group>
      ) : null}
      {resource && timeZone && appointments.data ? (
        <CalendarGrid
          key={`${resource.id}:${view}:${first}`}
          resource={resource}
          days={days}
          timeZone={timeZone}
          workingHours={hours.data?.hours ?? []}
          appointments={appointments.data.items.filter((a) => showAll || !HIDDEN_BY_DEFAULT.has(a.status))}
          mayMove={can(me, PERMISSIONS.writeAppointments)}
        />
      ) : resource && !appointments.isError && !hours.isError ? (
        <LoadingState label="Loading the appointments…" />
      ) : null}
      {appointments.data?.redisclosureNotice ? (
        <RedisclosureNotice text={appointments.data.redisclosureNotice} />
      ) : null}
    </>
  );
}

function sortResources(items: readonly SchedulingResource[]): SchedulingResource[] {
  const rank = (r: SchedulingResource) => (r.kind === 'provider' ? 0 : 1);
  return [...items].sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
}

interface Placed {
  appointment: Appointment;
  date: string;
  start: number;
  end: number;
}

interface Drag {
  placed: Placed;
  pointerId: number;
  x: number;
  y: number;
  moved: boolean;
  date: string;
  start: number;
}

function CalendarGrid({
  resource,
  days,
  timeZone,
  workingHours,
  appointments,
  mayMove,
}: {
  resource: SchedulingResource;
  days: string[];
  timeZone: string;
  workingHours: { weekday: number; startsAt: string; endsAt: string }[];
  appointments: Appointment[];
  mayMove: boolean;
}) {
  const queryClient = useQueryClient();
  const types = useAppointmentTypes();
  const columns = useRef(new Map<string, HTMLDivElement>());
  const [drag, setDrag] = useState<Drag | null>(null);
  const [pending, setPending] = useState<{ id: string; date: string; start: number } | null>(null);
  const [refused, setRefused] = useState<Problem | null>(null);
  const [notice, setNotice] = useState<{ title: string; message: string } | null>(null);
  const [rescheduling, setRescheduling] = useState<Appointment | null>(null);
  const [changingSeries, setChangingSeries] = useState<Appointment | null>(null);

  const placed: Placed[] = appointments.map((a) => {
    const start = localParts(a.startsAt, timeZone);
    const end = localParts(a.endsAt, timeZone);
    return {
      appointment: a,
      date: start.date,
      start: start.minutes,
      end: end.date === start.date ? end.minutes : 24 * 60,
    };
  });
  // The grid spans the working hours of the days shown, widened to hold every appointment.
  const shownHours = workingHours.filter((h) => days.some((d) => isoWeekday(d) === h.weekday));
  const toMin = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));
  let top = shownHours.length ? Math.min(...shownHours.map((h) => toMin(h.startsAt))) : 8 * 60;
  let bottom = shownHours.length ? Math.max(...shownHours.map((h) => toMin(h.endsAt))) : 18 * 60;
  for (const p of placed) {
    top = Math.min(top, p.start);
    bottom = Math.max(bottom, p.end);
  }
  top = Math.max(0, Math.floor(top / 60) * 60 - 60);
  bottom = Math.min(24 * 60, Math.ceil(bottom / 60) * 60 + 60);
  const hourMarks: number[] = [];
  for (let m = top; m < bottom; m += 60) hourMarks.push(m);

  const move = useMutation({
    mutationFn: (target: { appointment: Appointment; date: string; start: number }) =>
      scheduling.reschedule(target.appointment.id, {
        startsAt: zonedInstant(target.date, target.start, timeZone).toISOString(),
      }),
    onMutate: (target) => {
      setRefused(null);
      setNotice(null);
      setPending({ id: target.appointment.id, date: target.date, start: target.start });
    },
    onSuccess: (moved) => {
      setNotice({ title: 'Rescheduled', message: `Moved to ${formatDayTime(moved.startsAt, timeZone)}.` });
    },
    onError: (error) => {
      // The drop is refused: the appointment snaps back to where it was.
      setRefused(problemOf(error));
    },
    onSettled: async () => {
      await queryClient.invalidateQueries({ queryKey: APPOINTMENTS_KEY });
      setPending(null);
    },
  });

  const movable = (a: Appointment) => mayMove && a.status === 'booked' && !a.clientWithheld;

  const onPointerDown = (event: ReactPointerEvent<HTMLDivElement>, p: Placed) => {
    if (!movable(p.appointment) || move.isPending || event.button !== 0) return;
    // Not from its controls, nor from its menu (a portal, whose events bubble here through React).
    const target = event.target as HTMLElement;
    if (!event.currentTarget.contains(target) || target.closest('button, a, [role=menuitem]')) return;
    event.currentTarget.setPointerCapture(event.pointerId);
    setDrag({
      placed: p,
      pointerId: event.pointerId,
      x: event.clientX,
      y: event.clientY,
      moved: false,
      date: p.date,
      start: p.start,
    });
  };
  const onPointerMove = (event: ReactPointerEvent<HTMLDivElement>) => {
    if (!drag || event.pointerId !== drag.pointerId) return;
    const dx = event.clientX - drag.x;
    const dy = event.clientY - drag.y;
    if (!drag.moved && Math.abs(dx) < 4 && Math.abs(dy) < 4) return;
    const length = drag.placed.end - drag.placed.start;
    const shifted = drag.placed.start + Math.round(dy / PPM / SNAP) * SNAP;
    const start = Math.max(top, Math.min(bottom - length, shifted));
    let date = drag.date;
    for (const [d, el] of columns.current) {
      const rect = el.getBoundingClientRect();
      if (event.clientX >= rect.left && event.clientX < rect.right) date = d;
    }
    setDrag({ ...drag, moved: true, date, start });
  };
  const onPointerUp = (event: ReactPointerEvent<HTMLDivElement>) => {
    if (!drag || event.pointerId !== drag.pointerId) return;
    setDrag(null);
    if (drag.moved && (drag.date !== drag.placed.date || drag.start !== drag.placed.start)) {
      move.mutate({ appointment: drag.placed.appointment, date: drag.date, start: drag.start });
    }
  };
  useEffect(() => {
    if (!drag) return;
    const cancel = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setDrag(null);
    };
    window.addEventListener('keydown', cancel);
    return () => window.removeEventListener('keydown', cancel);
  }, [drag]);

  const typeName = (id: string) => types.data?.find((t) => t.id === id)?.name ?? 'Appointment';
  const height = (bottom - top) * PPM;

  return (
    <>
      {refused ? (
        <ProblemAlert
          problem={{ ...refused, title: `The appointment was not moved: ${refused.title}` }}
          onClose={() => setRefused(null)}
        />
      ) : null}
      {notice ? (
        <Alert color="green" variant="light" role="status" mb="md" title={notice.title}>
          {notice.message}
        </Alert>
      ) : null}
      <Text size="sm" c="dimmed" mb="xs">
        {mayMove
          ? 'Drag a booked appointment to another time to reschedule it, or use its actions menu.'
          : 'You may view this calendar.'}
      </Text>
      <Box
        role="region"
        aria-label={`Calendar of ${resource.name}`}
        style={{ display: 'flex', border: '1px solid var(--mantine-color-gray-4)', overflowX: 'auto' }}
      >
        <div style={{ width: 56, flex: 'none' }} aria-hidden="true">
          <div style={{ height: 32 }} />
          <div style={{ position: 'relative', height }}>
            {hourMarks.map((m) => (
              <Text key={m} size="xs" style={{ position: 'absolute', top: (m - top) * PPM - 7, right: 6 }}>
                {clockLabel(m)}
              </Text>
            ))}
          </div>
        </div>
        {days.map((d) => {
          const inDay = placed.filter((p) => {
            const where = pending?.id === p.appointment.id ? pending.date : p.date;
            return where === d;
          });
          return (
            <div
              key={d}
              style={{ flex: 1, minWidth: 120, borderLeft: '1px solid var(--mantine-color-gray-4)' }}
            >
              <Text
                component="h2"
                size="sm"
                fw={600}
                ta="center"
                style={{ height: 32, lineHeight: '32px', margin: 0 }}
              >
                {formatDay(d)}
              </Text>
              <div
                data-day={d}
                ref={(el) => {
                  if (el) columns.current.set(d, el);
                  else columns.current.delete(d);
                }}
                style={{
                  position: 'relative',
                  height,
                  backgroundImage: `repeating-linear-gradient(to bottom, var(--mantine-color-gray-3) 0 1px, transparent 1px ${60 * PPM}px)`,
                  backgroundPositionY: `${((60 - (top % 60)) % 60) * PPM}px`,
                }}
              >
                {drag?.moved && drag.date === d ? (
                  <div
                    data-testid="drop-preview"
                    aria-hidden="true"
                    style={{
                      position: 'absolute',
                      left: 4,
                      right: 4,
                      top: (drag.start - top) * PPM,
                      height: (drag.placed.end - drag.placed.start) * PPM,
                      border: '2px dashed var(--mantine-color-blue-8)',
                      borderRadius: 4,
                      background: 'var(--mantine-color-blue-0)',
                      zIndex: 3,
                      pointerEvents: 'none',
                    }}
                  >
                    <Text size="xs" fw={600} p={4} c="blue.9">
                      Move to {clockLabel(drag.start)}
                    </Text>
                  </div>
                ) : null}
                {inDay.map((p) => {
                  const a = p.appointment;
                  const start = pending?.id === a.id ? pending.start : p.start;
                  const length = p.end - p.start;
                  const who = whoLabel(a);
                  const when = `${formatTime(a.startsAt, timeZone)} – ${formatTime(a.endsAt, timeZone)}`;
                  const dragging = drag?.placed.appointment.id === a.id && drag.moved;
                  const summary = `${when}, ${who}, ${typeName(a.appointmentTypeId)}, ${statusLabel(a.status)}${a.telehealth ? ', telehealth' : ''}`;
                  return (
                    <div
                      key={a.id}
                      role="group"
                      aria-label={summary}
                      title={summary}
                      data-appointment-id={a.id}
                      onPointerDown={(e) => onPointerDown(e, p)}
                      onPointerMove={onPointerMove}
                      onPointerUp={onPointerUp}
                      onPointerCancel={() => setDrag(null)}
                      style={{
                        position: 'absolute',
                        left: 4,
                        right: 4,
                        top: (start - top) * PPM,
                        height: Math.max(length * PPM, 28),
                        overflow: 'hidden',
                        borderRadius: 4,
                        border: '1px solid var(--mantine-color-blue-7)',
                        borderLeftWidth: 5,
                        background:
                          a.status === 'booked' || a.status === 'checked_in'
                            ? 'var(--mantine-color-blue-0)'
                            : 'var(--mantine-color-gray-1)',
                        opacity: dragging ? 0.5 : 1,
                        cursor: movable(a) ? (dragging ? 'grabbing' : 'grab') : 'default',
                        touchAction: movable(a) ? 'none' : undefined,
                        userSelect: 'none',
                        padding: '2px 4px',
                        zIndex: 2,
                      }}
                    >
                      <Group gap={4} wrap="nowrap" justify="space-between" align="flex-start">
                        <div style={{ minWidth: 0 }}>
                          <Text size="xs" fw={700} truncate>
                            {pending?.id === a.id ? `Moving to ${clockLabel(pending.start)}…` : when}
                          </Text>
                          <Text size="xs" truncate>
                            {who} · {typeName(a.appointmentTypeId)}
                          </Text>
                          <Group gap={4} wrap="nowrap">
                            <AppointmentStatusBadge status={a.status} size="xs" />
                            {a.telehealth ? (
                              <StatusBadge tone="info" size="xs">
                                Telehealth
                              </StatusBadge>
                            ) : null}
                          </Group>
                        </div>
                        <AppointmentMenu
                          appointment={a}
                          label={`${when}, ${who}`}
                          mayReschedule={movable(a)}
                          onReschedule={() => setRescheduling(a)}
                          onChangeSeries={() => setChangingSeries(a)}
                        />
                      </Group>
                    </div>
                  );
                })}
              </div>
            </div>
          );
        })}
      </Box>
      {rescheduling ? (
        <RescheduleDialog
          appointment={rescheduling}
          timeZone={timeZone}
          resourceName={resource.name}
          onClose={() => setRescheduling(null)}
          onMoved={(moved) => {
            setRescheduling(null);
            setRefused(null);
            setNotice({
              title: 'Rescheduled',
              message: `Moved to ${formatDayTime(moved.startsAt, timeZone)}.`,
            });
          }}
        />
      ) : null}
      {changingSeries ? (
        <EditOccurrenceDialog
          appointment={changingSeries}
          timeZone={timeZone}
          onClose={() => setChangingSeries(null)}
          onDone={(message) => {
            setChangingSeries(null);
            setRefused(null);
            setNotice({ title: 'Series changed', message });
          }}
        />
      ) : null}
    </>
  );
}

function AppointmentMenu({
  appointment,
  label,
  mayReschedule,
  onReschedule,
  onChangeSeries,
}: {
  appointment: Appointment;
  label: string;
  mayReschedule: boolean;
  onReschedule: () => void;
  /** An appointment of a recurring series: change this one, this and following, or all. */
  onChangeSeries: () => void;
}) {
  if (!mayReschedule && !appointment.clientId) return null;
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <ActionIcon variant="subtle" size="sm" aria-label={`Actions for ${label}`}>
          <span aria-hidden="true">⋯</span>
        </ActionIcon>
      </Menu.Target>
      <Menu.Dropdown>
        {mayReschedule ? <Menu.Item onClick={onReschedule}>Reschedule…</Menu.Item> : null}
        {mayReschedule && appointment.seriesId ? (
          <Menu.Item onClick={onChangeSeries}>Change the series…</Menu.Item>
        ) : null}
        {appointment.clientId ? (
          <Menu.Item component={Link} to={`/clients/${appointment.clientId}?tab=appointments`}>
            Open client chart
          </Menu.Item>
        ) : null}
      </Menu.Dropdown>
    </Menu>
  );
}
