import { Alert, Anchor, Button, List, Stack, Text } from '@mantine/core';
import { Link } from 'react-router';
import { ApiError } from '../../api/errors.js';
import type { DuplicateCandidate } from '../../api/types.js';

/** The candidates of a 409 `possible-duplicate` answer to registration, or null for any other outcome. */
export function duplicateCandidatesOf(error: unknown): DuplicateCandidate[] | null {
  if (!(error instanceof ApiError) || error.status !== 409 || error.kind !== 'possible-duplicate')
    return null;
  const candidates = (error.problem as { candidates?: unknown }).candidates;
  return Array.isArray(candidates) ? (candidates as DuplicateCandidate[]) : [];
}

/**
 * Records the agency may already have of this person. Names show only for records the user may
 * open; the others are counted with the reasons they match (opening one asks for emergency access).
 */
export function PossibleDuplicates({
  candidates,
  registering,
  onRegisterAnyway,
}: {
  candidates: DuplicateCandidate[];
  registering: boolean;
  onRegisterAnyway: () => void;
}) {
  return (
    <Alert role="alert" color="yellow" variant="light" title="This person may already have a record">
      <Stack gap="sm">
        <Text size="sm">
          Check {candidates.length === 1 ? 'this record' : `these ${candidates.length} records`} before
          registering a new one. Two records of one person split their history.
        </Text>
        <List size="sm" spacing="xs">
          {candidates.map((c) => (
            <List.Item key={c.clientId}>
              {c.visible ? (
                <Anchor component={Link} to={`/clients/${c.clientId}`} fw={600}>
                  {c.givenName} {c.familyName}
                </Anchor>
              ) : (
                <Text span fw={600}>
                  A record outside your caseload
                </Text>
              )}{' '}
              — {Math.round(c.score * 100)}% match: {c.reasons.join('; ')}
            </List.Item>
          ))}
        </List>
        <Button variant="default" onClick={onRegisterAnyway} loading={registering} w="fit-content">
          I checked, register anyway
        </Button>
      </Stack>
    </Alert>
  );
}
