import { mapProblemToFieldErrors, PageHeader, ProblemAlert, SelectField, TextAreaField } from '@ehrms/ui';
import { Alert, Anchor, Button, Group, Stack, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { clients } from '../../api/endpoints.js';
import { problemOf, type ApiError } from '../../api/errors.js';
import type { BreakGlassRequest } from '../../api/types.js';

const MIN_REASON = 20;
const PURPOSES: { value: NonNullable<BreakGlassRequest['purposeOfUse']>; label: string }[] = [
  { value: 'ETREAT', label: 'Emergency treatment' },
  { value: 'TREAT', label: 'Treatment' },
  { value: 'PUBHLTH', label: 'Public health' },
];

/**
 * The chart of a client outside the user's caseload: the refusal in words and, for those who
 * may ask, emergency access with a stated reason — recorded, time-limited and reviewed.
 */
export function OutOfScope({
  clientId,
  refusal,
  mayBreakGlass,
  onGranted,
}: {
  clientId: string;
  refusal: ApiError;
  mayBreakGlass: boolean;
  onGranted: () => void;
}) {
  return (
    <>
      <PageHeader title="Client outside your caseload" />
      <Stack gap="md" maw={640}>
        <Alert color="gray" variant="light" title={refusal.problem.title}>
          <Text size="sm">{refusal.problem.detail}</Text>
        </Alert>
        {mayBreakGlass ? <BreakGlassForm clientId={clientId} onGranted={onGranted} /> : null}
        <Anchor component={Link} to="/clients">
          Back to client search
        </Anchor>
      </Stack>
    </>
  );
}

function BreakGlassForm({ clientId, onGranted }: { clientId: string; onGranted: () => void }) {
  const [reason, setReason] = useState('');
  const [purpose, setPurpose] = useState<BreakGlassRequest['purposeOfUse']>('ETREAT');
  const [checked, setChecked] = useState<string | undefined>();
  const grant = useMutation({
    mutationFn: () => clients.breakGlass(clientId, { reason: reason.trim(), purposeOfUse: purpose }),
    onSuccess: onGranted,
  });
  const problem = problemOf(grant.error);
  const errors = mapProblemToFieldErrors(problem, ['reason', 'purposeOfUse']);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const short = reason.trim().length < MIN_REASON;
    setChecked(short ? `Say why in at least ${MIN_REASON} characters.` : undefined);
    if (!short) grant.mutate();
  };

  return (
    <form onSubmit={submit} noValidate aria-label="Request emergency access">
      <Stack gap="md">
        <Text size="sm">
          In an emergency you may open this chart for a limited time. Your reason is recorded with every
          record you open, and the privacy officer reviews each emergency access.
        </Text>
        <ProblemAlert problem={problem} fieldLabels={{ reason: 'Reason', purposeOfUse: 'Purpose' }} />
        <TextAreaField
          label="Reason for emergency access"
          description={`At least ${MIN_REASON} characters`}
          value={reason}
          onChange={(e) => {
            setReason(e.currentTarget.value);
            setChecked(undefined);
          }}
          error={checked ?? errors.reason}
          withAsterisk
          minRows={3}
        />
        <SelectField
          label="Purpose"
          value={purpose ?? 'ETREAT'}
          onChange={(v) => setPurpose((v ?? 'ETREAT') as BreakGlassRequest['purposeOfUse'])}
          data={PURPOSES}
          error={errors.purposeOfUse}
          w={{ base: '100%', sm: 260 }}
        />
        <Group>
          <Button type="submit" color="red" loading={grant.isPending}>
            Request emergency access
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
