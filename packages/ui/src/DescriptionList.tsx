import { Group, Text } from '@mantine/core';
import type { ReactNode } from 'react';

export interface DescriptionItem {
  term: string;
  /** Shown as "—" when empty (null, undefined or ''). */
  value: ReactNode;
}

export interface DescriptionListProps {
  items: readonly DescriptionItem[];
  /** Width of the term column (long terms wrap within it). */
  termWidth?: number;
}

/** Facts about a record as a real `<dl>`: each term and its value read together by screen readers. */
export function DescriptionList({ items, termWidth = 170 }: DescriptionListProps) {
  return (
    <dl style={{ margin: 0 }}>
      {items.map((item) => (
        <Group key={item.term} gap="xs" wrap="nowrap" align="flex-start" mb={4}>
          <Text component="dt" size="sm" fw={600} miw={termWidth} maw={termWidth}>
            {item.term}
          </Text>
          <Text component="dd" size="sm" m={0} miw={0} style={{ overflowWrap: 'anywhere' }}>
            {isEmpty(item.value) ? '—' : item.value}
          </Text>
        </Group>
      ))}
    </dl>
  );
}

const isEmpty = (value: ReactNode) => value === null || value === undefined || value === '';
