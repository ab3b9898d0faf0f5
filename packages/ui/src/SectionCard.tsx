import { Card, Group, Title } from '@mantine/core';
import { useId, type ReactNode } from 'react';

export interface SectionCardProps {
  title: string;
  /** Buttons or links acting on the section, shown beside its title. */
  actions?: ReactNode;
  children: ReactNode;
}

/** A titled part of a page: a `section` landmark named by its `h2`. */
export function SectionCard({ title, actions, children }: SectionCardProps) {
  const titleId = useId();
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby={titleId}>
      <Group justify="space-between" align="flex-start" mb="sm" gap="sm">
        <Title order={2} size="h3" id={titleId}>
          {title}
        </Title>
        {actions ? <Group gap="xs">{actions}</Group> : null}
      </Group>
      {children}
    </Card>
  );
}
