import {
  mapProblemToFieldErrors,
  MultiSelectField,
  ProblemAlert,
  SelectField,
  TextField,
  type FieldErrors,
} from '@ehrms/ui';
import { Button, Checkbox, Fieldset, Group, SimpleGrid, Stack } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { waitlist } from '../../api/endpoints.js';
import { problemOf } from '../../api/errors.js';
import type { TimeOfDay } from '../../api/types.js';
import {
  PRIORITIES,
  TIMES_OF_DAY,
  useAppointmentTypes,
  useProviderResources,
  WAITLIST_KEY,
  waitlistCriteria,
} from './shared.js';
import { todayIn } from './time.js';

const LABELS = {
  appointmentTypeId: 'Appointment type',
  resourceIds: 'Preferred providers',
  earliestDate: 'Earliest day',
  latestDate: 'Latest day',
  timesOfDay: 'Times of day',
  priority: 'Priority',
};

/**
 * Puts the client on the waitlist for an appointment type, with what they can make: preferred
 * providers, a range of days and times of day (the agency's), and a priority. A freed slot that
 * fits is offered to the most urgent, longest-waiting entry (see the Waitlist page).
 */
export function AddToWaitlistForm({
  clientId,
  timeZone,
  onCancel,
  onAdded,
}: {
  clientId: string;
  timeZone: string;
  onCancel: () => void;
  onAdded: (message: string) => void;
}) {
  const queryClient = useQueryClient();
  const types = useAppointmentTypes();
  const providers = useProviderResources();
  const today = todayIn(timeZone);
  const [typeId, setTypeId] = useState<string | null>(null);
  const [resourceIds, setResourceIds] = useState<string[]>([]);
  const [earliestDate, setEarliestDate] = useState('');
  const [latestDate, setLatestDate] = useState('');
  const [timesOfDay, setTimesOfDay] = useState<TimeOfDay[]>([]);
  const [priority, setPriority] = useState('3');
  const [checked, setChecked] = useState<FieldErrors>({});
  const resourceName = (id: string) => providers.data?.find((p) => p.id === id)?.name ?? 'Provider';

  const add = useMutation({
    mutationFn: () =>
      waitlist.add({
        clientId,
        appointmentTypeId: typeId ?? '',
        resourceIds,
        earliestDate: earliestDate || null,
        latestDate: latestDate || null,
        timesOfDay,
        priority: Number(priority),
      }),
    onSuccess: async (entry) => {
      await queryClient.invalidateQueries({ queryKey: WAITLIST_KEY });
      const type = types.data?.find((t) => t.id === entry.appointmentTypeId)?.name ?? 'an appointment';
      onAdded(
        `On the waitlist for ${type}, priority ${entry.priority}: ${waitlistCriteria(entry, resourceName)}.`,
      );
    },
  });
  const problem = problemOf(add.error);
  const errors = { ...mapProblemToFieldErrors(problem, Object.keys(LABELS)), ...checked };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found: FieldErrors = {};
    if (!typeId) found.appointmentTypeId = 'Choose the appointment type.';
    if (earliestDate && latestDate && latestDate < earliestDate) {
      found.latestDate = 'The latest day is on or after the earliest.';
    }
    setChecked(found);
    if (Object.keys(found).length === 0) add.mutate();
  };

  return (
    <form onSubmit={submit} noValidate aria-label="Add to the waitlist">
      <Fieldset legend="Add to the waitlist" mb="md">
        <Stack gap="md">
          <ProblemAlert problem={problem} fieldLabels={LABELS} />
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
            <SelectField
              label={LABELS.appointmentTypeId}
              value={typeId}
              onChange={(v) => {
                setTypeId(v);
                setChecked((c) => ({ ...c, appointmentTypeId: undefined }));
              }}
              data={(types.data ?? []).map((t) => ({
                value: t.id,
                label: `${t.name} (${t.durationMinutes} min)`,
              }))}
              error={errors.appointmentTypeId}
              withAsterisk
            />
            <MultiSelectField
              label={LABELS.resourceIds}
              description="A freed slot with one of them fits; none chosen: any provider"
              value={resourceIds}
              onChange={setResourceIds}
              data={(providers.data ?? []).map((p) => ({ value: p.id, label: p.name }))}
              error={errors.resourceIds}
              nothingFoundMessage="No providers can be booked in this agency."
              searchable
            />
            <TextField
              label={LABELS.earliestDate}
              description="Optional; the agency’s days"
              type="date"
              min={today}
              value={earliestDate}
              onChange={(e) => setEarliestDate(e.currentTarget.value)}
              error={errors.earliestDate}
            />
            <TextField
              label={LABELS.latestDate}
              description="Optional; the entry ends after this day"
              type="date"
              min={earliestDate || today}
              value={latestDate}
              onChange={(e) => {
                setLatestDate(e.currentTarget.value);
                setChecked((c) => ({ ...c, latestDate: undefined }));
              }}
              error={errors.latestDate}
            />
          </SimpleGrid>
          <Checkbox.Group
            label={LABELS.timesOfDay}
            description="None chosen: any time"
            value={timesOfDay}
            onChange={(v) => setTimesOfDay(TIMES_OF_DAY.map((t) => t.value).filter((t) => v.includes(t)))}
            error={errors.timesOfDay}
          >
            <Group gap="md" mt={4}>
              {TIMES_OF_DAY.map((t) => (
                <Checkbox key={t.value} value={t.value} label={t.label} />
              ))}
            </Group>
          </Checkbox.Group>
          <SelectField
            label={LABELS.priority}
            value={priority}
            onChange={(v) => setPriority(v ?? '3')}
            data={PRIORITIES}
            error={errors.priority}
            w={260}
          />
          <Group>
            <Button type="submit" loading={add.isPending}>
              Add to waitlist
            </Button>
            <Button variant="default" onClick={onCancel}>
              Cancel
            </Button>
          </Group>
        </Stack>
      </Fieldset>
    </form>
  );
}
