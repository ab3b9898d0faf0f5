import {
  mapProblemToFieldErrors,
  MultiSelectField,
  ProblemAlert,
  SelectField,
  TextAreaField,
  TextField,
  type Problem,
} from '@ehrms/ui';
import { Alert, Button, Checkbox, Fieldset, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { scheduling, series } from '../../api/endpoints.js';
import { ApiError, problemOf } from '../../api/errors.js';
import type { Availability, AvailabilityQuery, ProviderAvailability } from '../../api/types.js';
import { buildRecurrence, describeRecurrence, type RepeatForm } from './recurrence.js';
import { RepeatFields, type RepeatErrors } from './RepeatFields.js';
import { SeriesProblemAlert } from './SeriesProblemAlert.js';
import { SCHEDULING_KEY, useAppointmentTypes, useProviderResources } from './shared.js';
import { addDays, formatDay, formatDayTime, formatTime, localParts, todayIn } from './time.js';

const LABELS = {
  appointmentTypeId: 'Appointment type',
  providerIds: 'Providers',
  from: 'From',
  to: 'To',
  telehealth: 'Telehealth',
  joinUrl: 'Join link',
  notes: 'Scheduling notes',
  startsAt: 'Time',
  resourceIds: 'Provider',
  recurrence: 'Repeats',
};

interface Chosen {
  providerId: string;
  resourceId: string;
  startsAt: string;
  endsAt: string;
}

/**
 * Books an appointment for the client: an appointment type and providers, a range of days, then
 * the providers' free times (grouped by the agency's days) to pick from. A provider who may not
 * be booked (an expired license…) is shown with the reason. When the time was taken meanwhile
 * (409) the problem is shown and the free times are searched again. With "Repeats" the chosen
 * time starts a recurring series, booked whole or not at all: a 409 lists every occurrence that
 * cannot be booked, and the form stays as it was to change the time or the rule.
 */
export function BookAppointmentForm({
  clientId,
  timeZone,
  onCancel,
  onBooked,
}: {
  clientId: string;
  timeZone: string;
  onCancel: () => void;
  /** `occurrences`: the times of a series' appointments, to list under the message. */
  onBooked: (message: string, occurrences?: string[]) => void;
}) {
  const queryClient = useQueryClient();
  const types = useAppointmentTypes();
  const providers = useProviderResources();
  const today = todayIn(timeZone);
  const [typeId, setTypeId] = useState<string | null>(null);
  const [providerIds, setProviderIds] = useState<string[]>([]);
  const [from, setFrom] = useState(today);
  const [to, setTo] = useState(addDays(today, 6));
  const [search, setSearch] = useState<AvailabilityQuery | null>(null);
  const [searchError, setSearchError] = useState<Problem | null>(null);
  const [chosen, setChosen] = useState<Chosen | null>(null);
  const [telehealth, setTelehealth] = useState(false);
  const [joinUrl, setJoinUrl] = useState('');
  const [notes, setNotes] = useState('');
  const [repeat, setRepeat] = useState<RepeatForm | null>(null);
  const [repeatErrors, setRepeatErrors] = useState<RepeatErrors>({});
  const type = types.data?.find((t) => t.id === typeId);
  const providerName = (id: string) => providers.data?.find((p) => p.providerId === id)?.name ?? 'Provider';

  const availability = useQuery({
    queryKey: [...SCHEDULING_KEY, 'availability', search],
    queryFn: () => scheduling.availability(search as AvailabilityQuery),
    enabled: search !== null,
    retry: false,
  });

  const book = useMutation({
    mutationFn: (slot: Chosen) =>
      scheduling.book({
        clientId,
        appointmentTypeId: typeId ?? '',
        startsAt: slot.startsAt,
        resourceIds: [slot.resourceId],
        telehealth: type?.telehealthAllowed ? telehealth : false,
        joinUrl: type?.telehealthAllowed && telehealth && joinUrl.trim() ? joinUrl.trim() : null,
        notes: notes.trim() ? notes.trim() : null,
      }),
    onSuccess: (booked, slot) => {
      void queryClient.invalidateQueries({ queryKey: [...SCHEDULING_KEY, 'availability'] });
      onBooked(
        `${type?.name ?? 'Appointment'} with ${providerName(slot.providerId)} on ${formatDayTime(
          booked.startsAt,
          timeZone,
        )}${booked.telehealth ? ' (telehealth)' : ''}.`,
      );
    },
    onError: (error) => {
      if (error instanceof ApiError && error.status === 409) {
        // Someone took the time (or the provider became unavailable): look again.
        setChosen(null);
        void availability.refetch();
      }
    },
  });

  const bookSeries = useMutation({
    mutationFn: ({ slot, recurrence }: { slot: Chosen; recurrence: string }) =>
      series.book({
        clientId,
        appointmentTypeId: typeId ?? '',
        startsAt: slot.startsAt,
        resourceIds: [slot.resourceId],
        recurrence,
        telehealth: type?.telehealthAllowed ? telehealth : false,
        joinUrl: type?.telehealthAllowed && telehealth && joinUrl.trim() ? joinUrl.trim() : null,
      }),
    onSuccess: (booked, { slot }) => {
      void queryClient.invalidateQueries({ queryKey: [...SCHEDULING_KEY, 'availability'] });
      const occurrences = [...booked.occurrences].sort((a, b) => a.startsAt.localeCompare(b.startsAt));
      onBooked(
        `${type?.name ?? 'Appointment'} with ${providerName(slot.providerId)}: ${describeRecurrence(
          booked.recurrence,
          timeZone,
        )}. ${occurrences.length} appointments booked${booked.telehealth ? ' (telehealth)' : ''}.`,
        occurrences.map((o) => `${formatDayTime(o.startsAt, timeZone)} – ${formatTime(o.endsAt, timeZone)}`),
      );
    },
  });

  const confirm = (event: FormEvent, slot: Chosen) => {
    event.preventDefault();
    if (!repeat) {
      book.mutate(slot);
      return;
    }
    const built = buildRecurrence(repeat, localParts(slot.startsAt, timeZone).date);
    if (!built.ok) {
      setRepeatErrors(Object.fromEntries(built.errors.map((e) => [e.field, e.message])));
      return;
    }
    setRepeatErrors({});
    bookSeries.mutate({ slot, recurrence: built.rrule });
  };

  const findTimes = (event: FormEvent) => {
    event.preventDefault();
    const errors = [
      ...(typeId ? [] : [{ field: 'appointmentTypeId', message: 'Choose the appointment type.' }]),
      ...(providerIds.length > 0 ? [] : [{ field: 'providerIds', message: 'Choose at least one provider.' }]),
      ...(from && to && from <= to
        ? []
        : [{ field: 'to', message: 'The last day is on or after the first.' }]),
    ];
    setChosen(null);
    book.reset();
    bookSeries.reset();
    if (errors.length > 0) {
      setSearchError({ title: 'Check the search', errors });
      return;
    }
    setSearchError(null);
    setSearch({
      appointmentTypeId: typeId ?? '',
      providerIds: providerIds.join(','),
      from,
      to,
      stepMinutes: 30,
    });
  };

  const problem = searchError ?? problemOf(availability.error);
  const errors = mapProblemToFieldErrors(problem, Object.keys(LABELS));
  const bookProblem = problemOf(book.error);
  const seriesProblem = problemOf(bookSeries.error);
  const bookErrors = mapProblemToFieldErrors(bookProblem ?? seriesProblem, Object.keys(LABELS));

  return (
    <Stack gap="md" mb="md">
      <form onSubmit={findTimes} noValidate aria-label="Find free times">
        <Fieldset legend="Book appointment">
          <Stack gap="md">
            <ProblemAlert problem={problem} fieldLabels={LABELS} />
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
              <SelectField
                label="Appointment type"
                value={typeId}
                onChange={(v) => {
                  setTypeId(v);
                  setSearch(null);
                }}
                data={(types.data ?? []).map((t) => ({
                  value: t.id,
                  label: `${t.name} (${t.durationMinutes} min)`,
                }))}
                error={errors.appointmentTypeId}
                withAsterisk
              />
              <MultiSelectField
                label="Providers"
                description="Free times of each are shown"
                value={providerIds}
                onChange={setProviderIds}
                data={(providers.data ?? []).flatMap((p) =>
                  p.providerId ? [{ value: p.providerId, label: p.name }] : [],
                )}
                error={errors.providerIds}
                nothingFoundMessage="No providers can be booked in this agency."
                searchable
                withAsterisk
              />
              <TextField
                label="From"
                type="date"
                value={from}
                min={today}
                onChange={(e) => setFrom(e.currentTarget.value)}
                error={errors.from}
                withAsterisk
              />
              <TextField
                label="To"
                type="date"
                value={to}
                min={from}
                onChange={(e) => setTo(e.currentTarget.value)}
                error={errors.to}
                withAsterisk
              />
            </SimpleGrid>
            <Group>
              <Button type="submit" loading={availability.isFetching}>
                Find free times
              </Button>
              <Button variant="default" onClick={onCancel}>
                Cancel
              </Button>
            </Group>
          </Stack>
        </Fieldset>
      </form>
      {book.isError && bookProblem ? (
        <ProblemAlert
          problem={
            book.error instanceof ApiError && book.error.status === 409
              ? {
                  ...bookProblem,
                  detail: `${bookProblem.detail ?? ''} The free times were searched again.`.trim(),
                }
              : bookProblem
          }
          fieldLabels={LABELS}
        />
      ) : null}
      {availability.data ? (
        <FreeTimes
          availability={availability.data}
          providerName={providerName}
          chosen={chosen}
          onChoose={(slot) => {
            book.reset();
            bookSeries.reset();
            setChosen(slot);
          }}
        />
      ) : null}
      {chosen ? (
        <form aria-label="Confirm the booking" noValidate onSubmit={(event) => confirm(event, chosen)}>
          <Fieldset legend="Confirm the booking">
            <Stack gap="md">
              <Text>
                {type?.name} with {providerName(chosen.providerId)},{' '}
                {formatDayTime(chosen.startsAt, timeZone)} – {formatTime(chosen.endsAt, timeZone)}
              </Text>
              <SeriesProblemAlert problem={seriesProblem} timeZone={timeZone} fieldLabels={LABELS} />
              <RepeatFields
                value={repeat}
                onChange={(next) => {
                  setRepeat(next);
                  setRepeatErrors({});
                  bookSeries.reset();
                }}
                firstDate={localParts(chosen.startsAt, timeZone).date}
                errors={repeatErrors}
              />
              {type?.telehealthAllowed ? (
                <>
                  <Checkbox
                    label="Telehealth (by video)"
                    checked={telehealth}
                    onChange={(e) => setTelehealth(e.currentTarget.checked)}
                  />
                  {telehealth ? (
                    <TextField
                      label="Join link"
                      description="The https:// link the client uses to join; it can be added later"
                      type="url"
                      value={joinUrl}
                      onChange={(e) => setJoinUrl(e.currentTarget.value)}
                      error={bookErrors.joinUrl}
                    />
                  ) : null}
                </>
              ) : (
                <Text size="sm" c="dimmed">
                  {type?.name} is not offered by telehealth.
                </Text>
              )}
              {repeat ? (
                <Text size="sm" c="dimmed">
                  A series has no scheduling notes.
                </Text>
              ) : (
                <TextAreaField
                  label="Scheduling notes"
                  description="What to bring, access needs — clinical content belongs in case notes"
                  minRows={2}
                  value={notes}
                  onChange={(e) => setNotes(e.currentTarget.value)}
                  error={bookErrors.notes}
                />
              )}
              <Group>
                <Button type="submit" loading={book.isPending || bookSeries.isPending}>
                  {repeat ? 'Book the series' : 'Book this time'}
                </Button>
                <Button variant="default" onClick={() => setChosen(null)}>
                  Choose another time
                </Button>
              </Group>
            </Stack>
          </Fieldset>
        </form>
      ) : null}
    </Stack>
  );
}

function FreeTimes({
  availability,
  providerName,
  chosen,
  onChoose,
}: {
  availability: Availability;
  providerName: (id: string) => string;
  chosen: Chosen | null;
  onChoose: (slot: Chosen) => void;
}) {
  const { timeZone } = availability;
  return (
    <section aria-label="Free times">
      <Title order={3} size="h4" mb="xs">
        Free times
      </Title>
      <Stack gap="md">
        {availability.providers.map((p) => (
          <ProviderTimes
            key={p.providerId}
            provider={p}
            name={providerName(p.providerId)}
            timeZone={timeZone}
            chosen={chosen}
            onChoose={onChoose}
          />
        ))}
      </Stack>
    </section>
  );
}

function ProviderTimes({
  provider,
  name,
  timeZone,
  chosen,
  onChoose,
}: {
  provider: ProviderAvailability;
  name: string;
  timeZone: string;
  chosen: Chosen | null;
  onChoose: (slot: Chosen) => void;
}) {
  const days = new Map<string, ProviderAvailability['slots']>();
  for (const slot of provider.slots) {
    const day = localParts(slot.startsAt, timeZone).date;
    days.set(day, [...(days.get(day) ?? []), slot]);
  }
  return (
    <div>
      <Title order={4} size="h5" mb={4}>
        {name}
      </Title>
      {!provider.bookable ? (
        <Alert color="yellow" variant="light" title={`${name} cannot be booked`}>
          {provider.reasons.map((r) => (
            <Text size="sm" key={r.code}>
              {r.detail}
            </Text>
          ))}
        </Alert>
      ) : (
        <Stack gap="xs">
          {provider.reasons.map((r) => (
            <Text size="sm" key={r.code}>
              Note: {r.detail}
            </Text>
          ))}
          {days.size === 0 ? <Text size="sm">No free times in these days.</Text> : null}
          {[...days].map(([day, slots]) => (
            <div key={day} role="group" aria-label={`${name}, ${formatDay(day)}`}>
              <Text size="sm" fw={600} mb={4}>
                {formatDay(day)}
              </Text>
              <Group gap={6}>
                {slots.map((slot) => {
                  const selected =
                    chosen?.providerId === provider.providerId && chosen.startsAt === slot.startsAt;
                  return (
                    <Button
                      key={slot.startsAt}
                      size="compact-sm"
                      variant={selected ? 'filled' : 'default'}
                      aria-pressed={selected}
                      aria-label={`${formatTime(slot.startsAt, timeZone)} on ${formatDay(day)} with ${name}`}
                      onClick={() =>
                        onChoose({
                          providerId: provider.providerId,
                          resourceId: provider.resourceId ?? '',
                          startsAt: slot.startsAt,
                          endsAt: slot.endsAt,
                        })
                      }
                    >
                      {formatTime(slot.startsAt, timeZone)}
                    </Button>
                  );
                })}
              </Group>
            </div>
          ))}
        </Stack>
      )}
    </div>
  );
}
