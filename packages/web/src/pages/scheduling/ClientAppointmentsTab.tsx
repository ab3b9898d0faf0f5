import { DataTable, ProblemAlert, SectionCard, StatusBadge, type DataTableColumn } from '@ehrms/ui';
import { Alert, Box, Button, Group, List, Text } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { scheduling, waitlist } from '../../api/endpoints.js';
import { problemOf } from '../../api/errors.js';
import type { Appointment, Client, WaitlistEntry } from '../../api/types.js';
import { can, PERMISSIONS } from '../../auth/permissions.js';
import { RedisclosureNotice } from '../clients/ProgramsTab.js';
import { useMe } from '../../auth/useSession.js';
import { AddToWaitlistForm } from './AddToWaitlistForm.js';
import { BookAppointmentForm } from './BookAppointmentForm.js';
import { EditOccurrenceDialog } from './EditOccurrenceDialog.js';
import {
  APPOINTMENTS_KEY,
  AppointmentStatusBadge,
  SCHEDULING_KEY,
  useAppointmentTypes,
  useProviderResources,
  WAITLIST_KEY,
  waitlistCriteria,
  WaitlistStatusBadge,
} from './shared.js';
import { formatDayTime, formatTime, zoneLabel } from './time.js';

/** How far ahead the chart lists appointments. */
const AHEAD_DAYS = 180;

export const clientAppointmentsKey = (clientId: string) => [...APPOINTMENTS_KEY, 'client', clientId] as const;

interface Notice {
  title: string;
  message: string;
  /** e.g. the times of a series just booked. */
  items?: string[];
}

/**
 * The client's upcoming appointments (those of a series marked, and changed with "this / this and
 * following / all"), booking one or a recurring series from free times of providers, and the
 * client's place on the waitlist.
 */
export function ClientAppointmentsTab({ client }: { client: Client }) {
  const { data: me } = useMe();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState<'booking' | 'waitlist' | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [changing, setChanging] = useState<Appointment | null>(null);
  const list = useQuery({
    queryKey: clientAppointmentsKey(client.id),
    queryFn: () => {
      const now = Date.now();
      return scheduling.appointments({
        clientId: client.id,
        from: new Date(now - 60 * 60_000).toISOString(),
        to: new Date(now + AHEAD_DAYS * 86_400_000).toISOString(),
      });
    },
  });
  const types = useAppointmentTypes();
  const resources = useQuery({
    queryKey: [...SCHEDULING_KEY, 'resources', 'all'],
    queryFn: () => scheduling.resources({ active: 'true', limit: 200 }),
    staleTime: 60_000,
  });
  // Providers are listed from the provider resources; kept warm for the booking form.
  useProviderResources();
  // Emergency access reads the chart; it does not book.
  const mayBook = can(me, PERMISSIONS.writeAppointments) && client.access === 'scope';
  const timeZone = list.data?.timeZone;
  const typeName = (id: string) => types.data?.find((t) => t.id === id)?.name ?? 'Appointment';
  const resourceNames = (a: Appointment) =>
    a.resources
      .map((r) => resources.data?.items.find((x) => x.id === r.resourceId)?.name ?? 'Resource')
      .join(', ');
  const when = (a: Appointment) =>
    timeZone ? `${formatDayTime(a.startsAt, timeZone)} – ${formatTime(a.endsAt, timeZone)}` : a.startsAt;
  const upcoming = (list.data?.items ?? [])
    .filter((a) => a.status === 'booked' || a.status === 'checked_in')
    .sort((a, b) => a.startsAt.localeCompare(b.startsAt));

  const columns: DataTableColumn<Appointment>[] = [
    {
      key: 'when',
      header: 'When',
      rowHeader: true,
      cell: when,
    },
    { key: 'type', header: 'Type', cell: (a) => typeName(a.appointmentTypeId) },
    { key: 'with', header: 'With', cell: resourceNames },
    {
      key: 'status',
      header: 'Status',
      cell: (a) => (
        <Group gap={4}>
          <AppointmentStatusBadge status={a.status} />
          {a.telehealth ? <StatusBadge tone="info">Telehealth</StatusBadge> : null}
          {a.seriesId ? <StatusBadge tone="neutral">Series</StatusBadge> : null}
        </Group>
      ),
    },
  ];
  // Appointments of a series are changed from here ("this / this and following / all").
  if (mayBook) {
    columns.push({
      key: 'actions',
      header: 'Actions',
      cell: (a) =>
        a.seriesId && a.status === 'booked' && !a.clientWithheld ? (
          <Button
            size="compact-sm"
            variant="default"
            onClick={() => {
              setNotice(null);
              setChanging(a);
            }}
            aria-label={`Change or cancel the series appointment of ${when(a)}`}
          >
            Change
          </Button>
        ) : null,
    });
  }

  return (
    <SectionCard
      title="Appointments"
      actions={
        mayBook && !open ? (
          <>
            <Button
              variant="default"
              onClick={() => {
                setNotice(null);
                setOpen('booking');
              }}
            >
              Book appointment
            </Button>
            <Button
              variant="default"
              onClick={() => {
                setNotice(null);
                setOpen('waitlist');
              }}
            >
              Add to waitlist
            </Button>
          </>
        ) : null
      }
    >
      {notice ? (
        <Alert color="green" variant="light" role="status" mb="md" title={notice.title}>
          {notice.message}
          {notice.items ? (
            <List size="sm" mt="xs" aria-label="Appointments booked">
              {notice.items.map((item) => (
                <List.Item key={item}>{item}</List.Item>
              ))}
            </List>
          ) : null}
        </Alert>
      ) : null}
      {open === 'booking' && timeZone ? (
        <BookAppointmentForm
          clientId={client.id}
          timeZone={timeZone}
          onCancel={() => setOpen(null)}
          onBooked={(message, items) => {
            setOpen(null);
            setNotice({ title: 'Booked', message, items });
            void queryClient.invalidateQueries({ queryKey: APPOINTMENTS_KEY });
          }}
        />
      ) : null}
      {open === 'waitlist' && timeZone ? (
        <AddToWaitlistForm
          clientId={client.id}
          timeZone={timeZone}
          onCancel={() => setOpen(null)}
          onAdded={(message) => {
            setOpen(null);
            setNotice({ title: 'Added to the waitlist', message });
          }}
        />
      ) : null}
      {list.isError ? <ProblemAlert problem={problemOf(list.error)} /> : null}
      {timeZone ? (
        <Text size="sm" c="dimmed" mb="xs">
          Times are the agency’s: {zoneLabel(timeZone)}.
        </Text>
      ) : null}
      <DataTable
        caption="Upcoming appointments of this client"
        columns={columns}
        rows={list.isPending ? undefined : upcoming}
        rowKey={(a) => a.id}
        loading={list.isPending}
        emptyMessage="No upcoming appointments."
        itemNoun="appointments"
      />
      {list.data && list.data.withheld > 0 ? (
        <Text size="sm" c="dimmed" mt="xs">
          {list.data.withheld} withheld (42 CFR Part 2): shown with their time only.
        </Text>
      ) : null}
      {list.data?.redisclosureNotice ? <RedisclosureNotice text={list.data.redisclosureNotice} /> : null}
      <ClientWaitlist clientId={client.id} />
      {changing && timeZone ? (
        <EditOccurrenceDialog
          appointment={changing}
          timeZone={timeZone}
          onClose={() => setChanging(null)}
          onDone={(message) => {
            setChanging(null);
            setNotice({ title: 'Series changed', message });
          }}
        />
      ) : null}
    </SectionCard>
  );
}

/** The client's open waitlist entries and the slot offered to each, if any (shown when there are some). */
function ClientWaitlist({ clientId }: { clientId: string }) {
  const entries = useQuery({
    queryKey: [...WAITLIST_KEY, 'client', clientId],
    queryFn: () => waitlist.list({ clientId }),
  });
  const types = useAppointmentTypes();
  const providers = useProviderResources();
  const items = entries.data?.items ?? [];
  const timeZone = entries.data?.timeZone;
  if (entries.isError) return <ProblemAlert problem={problemOf(entries.error)} />;
  if (items.length === 0 || !timeZone) return null;
  const resourceName = (id: string) => providers.data?.find((p) => p.id === id)?.name ?? 'Resource';
  const columns: DataTableColumn<WaitlistEntry>[] = [
    {
      key: 'type',
      header: 'Type',
      rowHeader: true,
      cell: (e) => types.data?.find((t) => t.id === e.appointmentTypeId)?.name ?? 'Appointment',
    },
    { key: 'priority', header: 'Priority', cell: (e) => String(e.priority) },
    { key: 'wants', header: 'Can make', cell: (e) => waitlistCriteria(e, resourceName) },
    { key: 'status', header: 'Status', cell: (e) => <WaitlistStatusBadge status={e.status} /> },
    {
      key: 'offer',
      header: 'Offer',
      cell: (e) =>
        e.offer
          ? `${formatDayTime(e.offer.startsAt, timeZone)} (offered until ${formatDayTime(e.offer.expiresAt, timeZone)})`
          : '—',
    },
  ];
  return (
    <Box mt="lg">
      <DataTable
        caption="Waitlist entries of this client"
        columns={columns}
        rows={items}
        rowKey={(e) => e.id}
        emptyMessage="Not on the waitlist."
        itemNoun="entries"
      />
    </Box>
  );
}
