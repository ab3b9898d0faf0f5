import { mapProblemToFieldErrors, ProblemAlert, TextField } from '@ehrms/ui';
import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { scheduling } from '../../api/endpoints.js';
import { problemOf } from '../../api/errors.js';
import type { Appointment } from '../../api/types.js';
import { APPOINTMENTS_KEY, SCHEDULING_KEY } from './shared.js';
import { clockLabel, formatDayTime, localParts, parseClock, zonedInstant } from './time.js';

const LABELS = { startsAt: 'New time', date: 'New day', time: 'New time', reason: 'Reason' };

/**
 * The keyboard way to move an appointment (dragging is the pointer's): a day and a time in the
 * agency's zone. A refused time (taken, outside hours) shows why; the appointment stays as it was.
 */
export function RescheduleDialog({
  appointment,
  timeZone,
  resourceName,
  onClose,
  onMoved,
}: {
  appointment: Appointment;
  timeZone: string;
  resourceName: string;
  onClose: () => void;
  onMoved: (moved: Appointment) => void;
}) {
  const queryClient = useQueryClient();
  const current = localParts(appointment.startsAt, timeZone);
  const [date, setDate] = useState(current.date);
  const [time, setTime] = useState(clockLabel(current.minutes));
  const [reason, setReason] = useState('');
  const [invalid, setInvalid] = useState<string | null>(null);
  const move = useMutation({
    mutationFn: (startsAt: string) =>
      scheduling.reschedule(appointment.id, {
        startsAt,
        ...(reason.trim() ? { reason: reason.trim() } : {}),
      }),
    onSuccess: async (moved) => {
      await queryClient.invalidateQueries({ queryKey: SCHEDULING_KEY });
      await queryClient.invalidateQueries({ queryKey: APPOINTMENTS_KEY });
      onMoved(moved);
    },
  });
  const problem = problemOf(move.error);
  const errors = mapProblemToFieldErrors(problem, Object.keys(LABELS));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const minutes = parseClock(time);
    if (!date || minutes === null) {
      setInvalid('Enter the new day and time.');
      return;
    }
    setInvalid(null);
    move.mutate(zonedInstant(date, minutes, timeZone).toISOString());
  };

  return (
    <Modal
      opened
      onClose={onClose}
      title="Reschedule appointment"
      closeButtonProps={{ 'aria-label': 'Close' }}
    >
      <form onSubmit={submit} noValidate aria-label="Reschedule appointment">
        <Stack gap="md">
          <Text size="sm">
            Now {formatDayTime(appointment.startsAt, timeZone)} with {resourceName}. Times are the agency’s (
            {timeZone}).
          </Text>
          <ProblemAlert problem={problem} fieldLabels={LABELS} />
          <Group grow align="flex-start">
            <TextField
              label="New day"
              type="date"
              value={date}
              onChange={(e) => setDate(e.currentTarget.value)}
              error={invalid && !date ? invalid : undefined}
              withAsterisk
            />
            <TextField
              label="New time"
              type="time"
              step={900}
              value={time}
              onChange={(e) => setTime(e.currentTarget.value)}
              error={errors.startsAt ?? (invalid && date ? invalid : undefined)}
              withAsterisk
            />
          </Group>
          <TextField
            label="Reason"
            description="Optional, e.g. “client asked for a later time”"
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            error={errors.reason}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={move.isPending}>
              Move appointment
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
