import { DataTable, SectionCard, StatusBadge, type DataTableColumn } from '@ehrms/ui';
import { Alert, Text } from '@mantine/core';
import type { ClientChart, Enrollment } from '../../api/types.js';
import { useDirectory } from '../../directory.js';
import { formatDate } from '../../format.js';

/**
 * Program enrolments. 42 CFR Part 2 enrolments the user may not see are never sent; the API
 * counts them, and the count is all that is shown.
 */
export function ProgramsTab({ enrollments }: { enrollments: ClientChart['enrollments'] }) {
  const directory = useDirectory();
  const columns: DataTableColumn<Enrollment>[] = [
    { key: 'program', header: 'Program', rowHeader: true, cell: (e) => directory.programName(e.programId) },
    { key: 'start', header: 'Started', cell: (e) => formatDate(e.startDate) },
    { key: 'end', header: 'Ended', cell: (e) => (e.endDate ? formatDate(e.endDate) : 'Enrolled') },
    { key: 'reason', header: 'Reason', cell: (e) => e.endReason ?? e.reason },
    {
      key: 'part2',
      header: 'Confidentiality',
      cell: (e) => (e.part2 ? <StatusBadge tone="info">42 CFR Part 2</StatusBadge> : 'Standard'),
    },
  ];
  return (
    <SectionCard title="Programs">
      <DataTable
        caption="Program enrolments"
        captionHidden
        columns={columns}
        rows={enrollments.items}
        rowKey={(e) => e.id}
        emptyMessage="Not enrolled in any program you may see."
        itemNoun="enrolments"
      />
      {enrollments.withheld > 0 ? (
        <Text size="sm" mt="xs" fw={600}>
          {enrollments.withheld} withheld (42 CFR Part 2)
        </Text>
      ) : null}
      {enrollments.redisclosureNotice ? <RedisclosureNotice text={enrollments.redisclosureNotice} /> : null}
    </SectionCard>
  );
}

/** The notice 42 CFR 2.32 requires beside any Part 2 information shown. */
export function RedisclosureNotice({ text }: { text: string }) {
  return (
    <Alert color="blue" variant="light" title="42 CFR Part 2 notice" mt="md">
      <Text size="xs">{text}</Text>
    </Alert>
  );
}
