import { Badge, type BadgeProps } from '@mantine/core';
import type { ReactNode } from 'react';

/** What a status means to the reader; each tone has its colour, but the words carry the meaning. */
export type StatusTone = 'success' | 'warning' | 'danger' | 'info' | 'neutral';

const TONE_COLORS: Record<StatusTone, string> = {
  success: 'green',
  warning: 'yellow',
  danger: 'red',
  info: 'blue',
  neutral: 'gray',
};

export interface StatusBadgeProps extends Omit<BadgeProps, 'color' | 'variant' | 'children'> {
  tone: StatusTone;
  children: ReactNode;
}

/**
 * A status in words ("Signed", "Expired", "High risk") with a colour as a second cue, never the
 * only one. Danger is filled so it stands out; the others are light, with AA-contrast text from
 * `ehrmsCssVariables`.
 */
export function StatusBadge({ tone, children, ...props }: StatusBadgeProps) {
  return (
    <Badge
      {...props}
      color={TONE_COLORS[tone]}
      variant={tone === 'danger' ? 'filled' : tone === 'neutral' ? 'outline' : 'light'}
      styles={
        tone === 'neutral'
          ? { label: { color: 'var(--mantine-color-text)' } }
          : tone === 'danger'
            ? { root: { backgroundColor: 'var(--mantine-color-red-9)' } }
            : undefined
      }
    >
      {children}
    </Badge>
  );
}
