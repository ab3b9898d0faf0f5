import { Group, Loader, Text } from '@mantine/core';

/** A spinner with words, announced politely: "Loading the chart…". */
export function LoadingState({ label }: { label: string }) {
  return (
    <Group gap="xs" py="sm">
      <Loader size="sm" aria-hidden />
      <Text role="status" size="sm">
        {label}
      </Text>
    </Group>
  );
}
