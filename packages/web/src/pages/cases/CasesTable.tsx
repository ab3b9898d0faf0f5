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
  const columns: DataTableColumn<Case>[] = [
    ...(showClient
      ? [
          {
            key: 'client',
            header: 'Client',
            rowHeader: true,
            cell: (c: Case) => <ClientName id={c.clientId} caseId={c.id} />,
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

function ClientName({ id, caseId }: { id: string; caseId: string }) {
  const client = useQuery({
    queryKey: [...CLIENTS_KEY, id, 'record'],
    queryFn: () => clients.get(id),
    retry: false,
    staleTime: 5 * 60_000,
  });
  return (
    <Anchor component={Link} to={`/cases/${caseId}`} tabIndex={-1}>
      {client.data ? clientName(client.data) : 'Client'}
    </Anchor>
  );
}

function WorkerName({ id }: { id: string | null }) {
  return <>{useUserName(id)}</>;
}
