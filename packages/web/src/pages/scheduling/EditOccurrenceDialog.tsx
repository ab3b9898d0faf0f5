import { TextField } from '@ehrms/ui';
import { Button, Group, Modal, Radio, Stack, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { series } from '../../api/endpoints.js';
import { ApiError, problemOf } from '../../api/errors.js';
import type { Appointment, SeriesScope } from '../../api/types.js';
import { describeRecurrence } from './recurrence.js';
import { SeriesProblemAlert } from './SeriesProblemAlert.js';
import { SCHEDULING_KEY } from './shared.js';
import {
  clockLabel,
  formatDay,
  formatDayTime,
  formatTime,
  localParts,
  parseClock,
  zonedInstant,
} from './time.js';

const LABELS = {
  startsAt: 'New time',
  timeOfDay: 'New time',
  reason: 'Reason',
  occurrenceId: 'Appointment',
  resourceIds: 'Provider',
  recurrence: 'Repeats',
};

const SCOPES: { value: SeriesScope; label: string }[] = [
  { value: 'this', label: 'This appointment only' },
  { value: 'following', label: 'This and the following appointments' },
  { value: 'all', label: 'All appointments of the series' },
];

type Action = 'move' | 'cancel';

export const seriesKey = (id: string) => [...SCHEDULING_KEY, 'series', id] as const;

/**
 * Changes an appointment of a recurring series: this one, this and the following (the series is
 * split there), or all of them — moved to another time, or cancelled with a reason. Moves send
 * the series' ETag as If-Match; a 412 offers to load the latest version, and a 409 lists every
 * appointment the new time would clash with (nothing changes then). Past, checked-in and
 * individually moved appointments stay where they are.
 */
export function EditOccurrenceDialog({
  appointment,
  timeZone,
  onClose,
  onDone,
}: {
  appointment: Appointment;
  timeZone: string;
  onClose: () => void;
  onDone: (message: string) => void;
}) {
  const seriesId = appointment.seriesId ?? '';
  const queryClient = useQueryClient();
  const detail = useQuery({ queryKey: seriesKey(seriesId), queryFn: () => series.get(seriesId) });
  const current = localParts(appointment.startsAt, timeZone);
  const [scope, setScope] = useState<SeriesScope>('this');
  const [action, setAction] = useState<Action>('move');
  const [date, setDate] = useState(current.date);
  const [time, setTime] = useState(clockLabel(current.minutes));
  const [reason, setReason] = useState('');
  const [invalid, setInvalid] = useState<Partial<Record<'date' | 'time' | 'reason', string>>>({});

  const change = useMutation({
    mutationFn: async (): Promise<string> => {
      const loaded = detail.data;
      if (!loaded) throw new Error('The series is still loading.');
      const occurrenceId = scope === 'all' ? undefined : appointment.id;
      const minutes = parseClock(time) ?? current.minutes;
      if (action === 'cancel') {
        await series.cancel(seriesId, { scope, occurrenceId, reason: reason.trim() });
        if (scope === 'this')
          return `The appointment on ${formatDayTime(appointment.startsAt, timeZone)} is cancelled.`;
        if (scope === 'following') {
          return `The appointments from ${formatDay(current.date)} on are cancelled; the series ends before them.`;
        }
        return 'The whole series is cancelled.';
      }
      if (scope === 'this') {
        const startsAt = zonedInstant(date, minutes, timeZone).toISOString();
        await series.change(seriesId, loaded.etag, { scope, occurrenceId, startsAt });
        return `Moved to ${formatDayTime(startsAt, timeZone)}.`;
      }
      await series.change(seriesId, loaded.etag, { scope, occurrenceId, timeOfDay: clockLabel(minutes) });
      const at = formatTime(zonedInstant(current.date, minutes, timeZone).toISOString(), timeZone);
      return scope === 'following'
        ? `This and the following appointments moved to ${at}.`
        : `All appointments of the series moved to ${at}.`;
    },
    onSuccess: async (message) => {
      await queryClient.invalidateQueries({ queryKey: SCHEDULING_KEY });
      onDone(message);
    },
  });
  const stale = change.error instanceof ApiError && change.error.status === 412;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found: typeof invalid = {};
    const minutes = parseClock(time);
    if (action === 'cancel') {
      if (!reason.trim()) found.reason = 'Say why the appointments are cancelled.';
    } else if (minutes === null) {
      found.time = 'Enter the new time, e.g. 10:30.';
    } else if (scope === 'this') {
      if (!date) found.date = 'Enter the new day.';
      else if (date === current.date && minutes === current.minutes)
        found.time = 'Choose a different day or time.';
    }
    setInvalid(found);
    if (Object.keys(found).length === 0) change.mutate();
  };

  const rule = detail.data ? describeRecurrence(detail.data.series.recurrence, timeZone) : null;
  const title = 'Change a series appointment';
  return (
    <Modal opened onClose={onClose} title={title} closeButtonProps={{ 'aria-label': 'Close' }}>
      <form onSubmit={submit} noValidate aria-label={title}>
        <Stack gap="md">
          <Text size="sm">
            {formatDayTime(appointment.startsAt, timeZone)} – {formatTime(appointment.endsAt, timeZone)}
            {rule ? `, part of a series: ${rule}.` : '.'} Times are the agency’s ({timeZone}).
          </Text>
          {detail.isError ? (
            <SeriesProblemAlert problem={problemOf(detail.error)} timeZone={timeZone} />
          ) : null}
          <SeriesProblemAlert problem={problemOf(change.error)} timeZone={timeZone} fieldLabels={LABELS} />
          {stale ? (
            <Button
              variant="default"
              w="fit-content"
              onClick={() => void detail.refetch().then(() => change.reset())}
            >
              Load the latest version of the series
            </Button>
          ) : null}
          <Radio.Group
            label="Which appointments"
            value={scope}
            onChange={(v) => {
              setScope(v as SeriesScope);
              change.reset();
            }}
          >
            <Stack gap={6} mt={4}>
              {SCOPES.map((s) => (
                <Radio key={s.value} value={s.value} label={s.label} />
              ))}
            </Stack>
          </Radio.Group>
          <Radio.Group
            label="Change"
            value={action}
            onChange={(v) => {
              setAction(v === 'cancel' ? 'cancel' : 'move');
              change.reset();
            }}
          >
            <Group gap="md" mt={4}>
              <Radio value="move" label="Move to another time" />
              <Radio value="cancel" label="Cancel" />
            </Group>
          </Radio.Group>
          {action === 'move' ? (
            <Group grow align="flex-start">
              {scope === 'this' ? (
                <TextField
                  label="New day"
                  type="date"
                  value={date}
                  onChange={(e) => setDate(e.currentTarget.value)}
                  error={invalid.date}
                  withAsterisk
                />
              ) : null}
              <TextField
                label="New time"
                description={scope === 'this' ? undefined : 'Each appointment keeps its day'}
                type="time"
                step={900}
                value={time}
                onChange={(e) => setTime(e.currentTarget.value)}
                error={invalid.time}
                withAsterisk
              />
            </Group>
          ) : (
            <TextField
              label="Reason"
              value={reason}
              onChange={(e) => setReason(e.currentTarget.value)}
              error={invalid.reason}
              withAsterisk
            />
          )}
          {scope !== 'this' ? (
            <Text size="sm" c="dimmed">
              Past, checked-in and individually moved appointments stay as they are.
            </Text>
          ) : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Keep as it is
            </Button>
            <Button
              type="submit"
              color={action === 'cancel' ? 'red' : undefined}
              loading={change.isPending}
              disabled={!detail.data || detail.isFetching}
            >
              {`${action === 'cancel' ? 'Cancel' : 'Move'} ${scope === 'this' ? 'this appointment' : 'the appointments'}`}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
