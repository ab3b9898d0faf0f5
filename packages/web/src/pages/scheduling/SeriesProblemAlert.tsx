import { ProblemAlert, type Problem } from '@ehrms/ui';
import { Alert, List, Text } from '@mantine/core';
import { conflictReason, seriesConflictsOf } from './seriesConflicts.js';
import { formatDayTime, formatTime } from './time.js';

/**
 * The problem of a series request. A `409 series-conflicts` lists every occurrence that could
 * not be booked — its day and time in the agency's zone, why, and the API's sentence — so the
 * scheduler can pick another time or end the series sooner; any other problem is shown as usual.
 */
export function SeriesProblemAlert({
  problem,
  timeZone,
  fieldLabels,
  onClose,
}: {
  problem: Problem | null;
  timeZone: string;
  fieldLabels?: Readonly<Record<string, string>>;
  onClose?: () => void;
}) {
  const conflicts = seriesConflictsOf(problem);
  if (!problem || !conflicts)
    return <ProblemAlert problem={problem} fieldLabels={fieldLabels} onClose={onClose} />;
  return (
    <Alert
      role="alert"
      color="red"
      variant="light"
      title={`Error: ${problem.title}`}
      withCloseButton={Boolean(onClose)}
      onClose={onClose}
      closeButtonLabel="Dismiss error"
      styles={{ title: { color: 'var(--mantine-color-red-9)' } }}
    >
      {problem.detail ? <Text size="sm">{problem.detail}</Text> : null}
      <List size="sm" mt="xs" aria-label="Occurrences that cannot be booked">
        {conflicts.map((c) => (
          <List.Item key={`${c.occurrenceStart}:${c.type}:${c.resourceId ?? ''}`}>
            <Text span fw={600} size="sm">
              {formatDayTime(c.startsAt, timeZone)} – {formatTime(c.endsAt, timeZone)}
            </Text>
            : {conflictReason(c.type)}. {c.detail}
          </List.Item>
        ))}
      </List>
    </Alert>
  );
}
