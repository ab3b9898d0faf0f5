import { Alert, List, Text } from '@mantine/core';
import type { Problem } from './problem.js';

export interface ProblemAlertProps {
  problem: Problem | null | undefined;
  /** Form field name → its label, so field errors read "Email: …" rather than "body.email: …". */
  fieldLabels?: Readonly<Record<string, string>>;
  onClose?: () => void;
}

/**
 * Shows an RFC 9457 problem: its title, detail, and every field error listed (an error summary
 * for the form above the fields, which also show their own message). Announced as an alert.
 */
export function ProblemAlert({ problem, fieldLabels, onClose }: ProblemAlertProps) {
  if (!problem) return null;
  const errors = problem.errors ?? [];
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
      {errors.length > 0 ? (
        <List size="sm" mt={problem.detail ? 'xs' : 0}>
          {errors.map((e) => (
            <List.Item key={`${e.field}:${e.message}`}>
              <Text span fw={600} size="sm">
                {labelFor(e.field, fieldLabels)}:
              </Text>{' '}
              {e.message}
            </List.Item>
          ))}
        </List>
      ) : null}
    </Alert>
  );
}

function labelFor(path: string, labels: Readonly<Record<string, string>> | undefined): string {
  const parts = path.split('.');
  if (parts.length > 1 && ['body', 'query', 'params', 'headers'].includes(parts[0] ?? '')) parts.shift();
  const top = parts[0] ?? path;
  return labels?.[top] ?? parts.join('.');
}
