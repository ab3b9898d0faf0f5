import {
  DataTable,
  LoadingState,
  ProblemAlert,
  SectionCard,
  StatusBadge,
  type DataTableColumn,
  type StatusTone,
} from '@ehrms/ui';
import { Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { clients } from '../../api/endpoints.js';
import { problemOf } from '../../api/errors.js';
import type { Consent } from '../../api/types.js';
import { useDirectory } from '../../directory.js';
import { codeLabel, formatDate } from '../../format.js';
import { RedisclosureNotice } from './ProgramsTab.js';
import { CLIENTS_KEY } from './shared.js';

const STATUS: Record<Consent['status'], { tone: StatusTone; label: string }> = {
  active: { tone: 'success', label: 'In force' },
  scheduled: { tone: 'info', label: 'Not yet in force' },
  expired: { tone: 'neutral', label: 'Expired' },
  revoked: { tone: 'danger', label: 'Revoked' },
};

/** Signed consents to share information, with their standing today. */
export function ConsentsTab({ clientId }: { clientId: string }) {
  const directory = useDirectory();
  const consents = useQuery({
    queryKey: [...CLIENTS_KEY, clientId, 'consents'],
    queryFn: () => clients.consents(clientId),
  });
  const recipient = (c: Consent) => {
    const r = c.recipient;
    if (r.type === 'organization') return r.name ?? 'An outside organisation';
    if (r.type === 'team') return directory.teamName(r.id);
    if (r.type === 'program') return directory.programName(r.id);
    return r.name ?? codeLabel(r.type);
  };
  const columns: DataTableColumn<Consent>[] = [
    {
      key: 'kind',
      header: 'Kind',
      rowHeader: true,
      cell: (c) => (c.kind === 'part2' ? '42 CFR Part 2' : 'General'),
    },
    { key: 'recipient', header: 'Shared with', cell: recipient },
    { key: 'purposes', header: 'Purposes', cell: (c) => c.purposes.join(', ') },
    { key: 'from', header: 'Effective', cell: (c) => formatDate(c.effectiveFrom) },
    { key: 'until', header: 'Expires', cell: (c) => (c.expiresOn ? formatDate(c.expiresOn) : 'No expiry') },
    {
      key: 'status',
      header: 'Status',
      cell: (c) => <StatusBadge tone={STATUS[c.status].tone}>{STATUS[c.status].label}</StatusBadge>,
    },
  ];

  return (
    <SectionCard title="Consents">
      {consents.isPending ? <LoadingState label="Loading consents…" /> : null}
      {consents.isError ? <ProblemAlert problem={problemOf(consents.error)} /> : null}
      {consents.isSuccess ? (
        <>
          <DataTable
            caption="Consents"
            captionHidden
            columns={columns}
            rows={consents.data.items}
            rowKey={(c) => c.id}
            emptyMessage="No consents on record."
            itemNoun="consents"
          />
          {consents.data.withheld > 0 ? (
            <Text size="sm" mt="xs" fw={600}>
              {consents.data.withheld} withheld (42 CFR Part 2)
            </Text>
          ) : null}
          {consents.data.redisclosureNotice ? (
            <RedisclosureNotice text={consents.data.redisclosureNotice} />
          ) : null}
        </>
      ) : null}
    </SectionCard>
  );
}
