import {
  LoadingState,
  PageHeader,
  ProblemAlert,
  SectionCard,
  SelectField,
  StatusBadge,
  TextField,
} from '@ehrms/ui';
import { Alert, Button, Fieldset, Group, List, SimpleGrid, Stack, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { reminderPolicy } from '../../api/endpoints.js';
import { ApiError, problemOf } from '../../api/errors.js';
import type { ReminderPolicy } from '../../api/types.js';
import { usePageTitle } from '../../pageTitle.js';
import {
  describeLead,
  draftOf,
  leadsFrom,
  MAX_LEADS,
  newDraft,
  type LeadDraft,
  type LeadErrors,
} from './reminderLeads.js';
import { SCHEDULING_KEY } from './shared.js';
import { zoneLabel } from './time.js';

const POLICY_KEY = [...SCHEDULING_KEY, 'reminder-policy'] as const;
const KINDS = [
  { value: 'hours', label: 'Hours before the appointment' },
  { value: 'business-day', label: 'A business day before, at a set time' },
];

/**
 * The agency's appointment reminder policy (agency administrators): when reminders fall due
 * before each appointment. Saved with If-Match; when someone else saved meanwhile (412) the
 * latest version can be loaded. Applies to appointments booked or moved from then on.
 */
export function ReminderPolicyPage() {
  usePageTitle('Appointment reminders');
  const detail = useQuery({ queryKey: POLICY_KEY, queryFn: reminderPolicy.get });
  // Bumped when the latest version is loaded after a conflict: the form starts again from it.
  const [generation, setGeneration] = useState(0);

  if (detail.isPending) return <LoadingState label="Loading the reminder policy…" />;
  if (detail.isError) {
    return (
      <>
        <PageHeader title="Appointment reminders" />
        <ProblemAlert problem={problemOf(detail.error)} />
      </>
    );
  }
  const { policy, etag } = detail.data;
  return (
    <>
      <PageHeader
        title="Appointment reminders"
        description={`When clients are reminded of a booked appointment. Business days skip weekends and agency-wide holidays and closures. Times are the agency’s: ${zoneLabel(policy.timeZone)}.`}
      />
      <Stack gap="lg">
        <SectionCard title="Current policy">
          <CurrentPolicy policy={policy} />
        </SectionCard>
        <SectionCard title="Change the policy">
          <PolicyForm
            key={generation}
            policy={policy}
            etag={etag}
            onReload={() => void detail.refetch().then(() => setGeneration((g) => g + 1))}
          />
        </SectionCard>
      </Stack>
    </>
  );
}

function CurrentPolicy({ policy }: { policy: ReminderPolicy }) {
  return (
    <Stack gap="xs">
      {policy.isDefault ? (
        <Group gap="xs">
          <StatusBadge tone="info">Default</StatusBadge>
          <Text size="sm">The agency has not set its own policy yet.</Text>
        </Group>
      ) : null}
      {policy.leads.length === 0 ? (
        <Text size="sm">No reminders are sent.</Text>
      ) : (
        <List size="sm" aria-label="Reminder times">
          {policy.leads.map((lead) => (
            <List.Item key={JSON.stringify(lead)}>{describeLead(lead)}</List.Item>
          ))}
        </List>
      )}
    </Stack>
  );
}

function PolicyForm({
  policy,
  etag,
  onReload,
}: {
  policy: ReminderPolicy;
  etag: string;
  onReload: () => void;
}) {
  const queryClient = useQueryClient();
  const [drafts, setDrafts] = useState<LeadDraft[]>(() => policy.leads.map(draftOf));
  const [errors, setErrors] = useState<LeadErrors[]>([]);
  const save = useMutation({
    mutationFn: (leads: Parameters<typeof reminderPolicy.replace>[1]) => reminderPolicy.replace(etag, leads),
    onSuccess: (updated) => {
      queryClient.setQueryData(POLICY_KEY, { policy: updated, etag: `"${updated.version}"` });
    },
  });
  const stale = save.error instanceof ApiError && save.error.status === 412;

  const change = (i: number, next: Partial<LeadDraft>) => {
    setDrafts((all) => all.map((d, j) => (j === i ? { ...d, ...next } : d)));
    setErrors((all) => all.map((e, j) => (j === i ? {} : e)));
    save.reset();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const result = leadsFrom(drafts);
    if (!result.ok) {
      setErrors(result.errors);
      return;
    }
    setErrors([]);
    save.mutate(result.leads);
  };

  return (
    <form onSubmit={submit} noValidate aria-label="Change the reminder policy">
      <Stack gap="md">
        <ProblemAlert problem={problemOf(save.error)} fieldLabels={{ leads: 'Reminders' }} />
        {stale ? (
          <Button variant="default" onClick={onReload} w="fit-content">
            Load the latest version (discards your changes)
          </Button>
        ) : null}
        {save.isSuccess ? (
          <Alert color="green" variant="light" role="status" title="Saved">
            The reminder policy was saved. It applies to appointments booked or moved from now on.
          </Alert>
        ) : null}
        {drafts.length === 0 ? <Text size="sm">No reminders: clients are not reminded.</Text> : null}
        {drafts.map((draft, i) => {
          const name = `Reminder ${i + 1}`;
          const error = errors[i] ?? {};
          return (
            // Position is the identity here: a reminder has no id of its own.
            <Fieldset key={i} legend={name}>
              <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md">
                <SelectField
                  label="When"
                  value={draft.kind}
                  onChange={(v) => change(i, { kind: v === 'business-day' ? 'business-day' : 'hours' })}
                  data={KINDS}
                />
                {draft.kind === 'hours' ? (
                  <TextField
                    label="Hours before"
                    type="number"
                    min={1}
                    max={744}
                    value={draft.hours}
                    onChange={(e) => change(i, { hours: e.currentTarget.value })}
                    error={error.hours}
                    withAsterisk
                  />
                ) : (
                  <>
                    <TextField
                      label="Business days before"
                      type="number"
                      min={1}
                      max={10}
                      value={draft.days}
                      onChange={(e) => change(i, { days: e.currentTarget.value })}
                      error={error.days}
                      withAsterisk
                    />
                    <TextField
                      label="At (agency time)"
                      type="time"
                      value={draft.at}
                      onChange={(e) => change(i, { at: e.currentTarget.value })}
                      error={error.at}
                      withAsterisk
                    />
                  </>
                )}
              </SimpleGrid>
              <Button
                variant="subtle"
                color="red"
                size="compact-sm"
                mt="sm"
                onClick={() => {
                  setDrafts((all) => all.filter((_, j) => j !== i));
                  setErrors((all) => all.filter((_, j) => j !== i));
                  save.reset();
                }}
              >
                Remove {name.toLowerCase()}
              </Button>
            </Fieldset>
          );
        })}
        <Group>
          <Button
            variant="default"
            disabled={drafts.length >= MAX_LEADS}
            onClick={() => {
              setDrafts((all) => [...all, newDraft()]);
              save.reset();
            }}
          >
            Add a reminder
          </Button>
          {drafts.length >= MAX_LEADS ? (
            <Text size="sm" c="dimmed">
              At most {MAX_LEADS} reminders.
            </Text>
          ) : null}
        </Group>
        <Button type="submit" loading={save.isPending} w="fit-content">
          Save the policy
        </Button>
      </Stack>
    </form>
  );
}
