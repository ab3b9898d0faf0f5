import { DataTable, type DataTableColumn } from '@ehrms/ui';
import { Anchor } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate } from 'react-router';
import { clients } from '../../api/endpoints.js';
import type { Case } from '../../api/types.js';
import { useDirectory, useUserName } from '../../directory.js';
import { formatDate } from '../../format.js';
import { CLIENTS_KEY, clientName } from '../clients/shared.js';
import { CASE_TYPE_LABELS, CaseStatusBadge, RiskBadge } from './shared.js';

export interface CasesTableProps {
  caption: string;
  rows: Case[] | undefined;
  loading: boolean;
  emptyMessage: string;
  /** Caseloads name the client; a client's own chart does not need to. */
  showClient?: boolean;
  hasMore?: boolean;
  onLoadMore?: () => void;
  loadingMore?: boolean;
}

/** Cases as a table; a row opens the case workspace. */
export function CasesTable({ caption, rows, loading, emptyMessage, showClient, ...more }: CasesTableProps) {
  const navigate = useNavigate();
  const directory = useDirectory();
  const names = useClientNames(showClient ? (rows ?? []).map((c) => c.clientId) : []);
  const columns: DataTableColumn<Case>[] = [
    ...(showClient
      ? [
          {
            key: 'client',
            header: 'Client',
            rowHeader: true,
            cell: (c: Case) => (
              <Anchor component={Link} to={`/cases/${c.id}`} tabIndex={-1}>
                {names.get(c.clientId) ?? 'Client'}
              </Anchor>
            ),
          },
        ]
      : []),
    {
      key: 'program',
      header: 'Program',
      rowHeader: !showClient,
      cell: (c) =>
        showClient ? (
          directory.programName(c.programId)
        ) : (
          <Anchor component={Link} to={`/cases/${c.id}`} tabIndex={-1}>
            {directory.programName(c.programId)}
          </Anchor>
        ),
    },
    { key: 'type', header: 'Type', cell: (c) => CASE_TYPE_LABELS[c.type] },
    { key: 'status', header: 'Status', cell: (c) => <CaseStatusBadge status={c.status} /> },
    { key: 'risk', header: 'Risk', cell: (c) => <RiskBadge risk={c.riskLevel} /> },
    { key: 'worker', header: 'Worker', cell: (c) => <WorkerName id={c.assignedWorkerId} /> },
    { key: 'opened', header: 'Opened', cell: (c) => formatDate(c.openedOn) },
  ];
  return (
    <DataTable
      caption={caption}
      captionHidden
      columns={columns}
      rows={rows}
      rowKey={(c) => c.id}
      loading={loading}
      emptyMessage={emptyMessage}
      onRowActivate={(c) => navigate(`/cases/${c.id}`)}
      itemNoun="cases"
      {...more}
    />
  );
}

/**
 * The names of the clients of the cases shown, in one request per 200 (not one per row); a client
 * the caller may not see stays "Client".
 */
function useClientNames(ids: string[]): Map<string, string> {
  const unique = [...new Set(ids)].sort();
  const names = useQuery({
    queryKey: [...CLIENTS_KEY, 'names', unique],
    queryFn: async () => {
      const chunks: string[][] = [];
      for (let i = 0; i < unique.length; i += 200) chunks.push(unique.slice(i, i + 200));
      const pages = await Promise.all(chunks.map((chunk) => clients.named(chunk)));
      return new Map(pages.flatMap((p) => p.items.map((c) => [c.id, clientName(c)] as const)));
    },
    enabled: unique.length > 0,
    staleTime: 5 * 60_000,
  });
  return names.data ?? new Map<string, string>();
}

function WorkerName({ id }: { id: string | null }) {
  return <>{useUserName(id)}</>;
}
