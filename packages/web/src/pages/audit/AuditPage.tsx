import {
  DataTable,
  mapProblemToFieldErrors,
  PageHeader,
  ProblemAlert,
  SelectField,
  TextField,
  type DataTableColumn,
  type FieldErrors,
} from '@ehrms/ui';
import { Alert, Anchor, Button, Card, Code, Group, SimpleGrid, Stack, Text } from '@mantine/core';
import { useInfiniteQuery, useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { audit } from '../../api/endpoints.js';
import { problemOf } from '../../api/errors.js';
import type { AuditFilters, AuditLogItem, AuditOutcome, ChainVerification } from '../../api/types.js';
import { can, PERMISSIONS } from '../../auth/permissions.js';
import { useMe } from '../../auth/useSession.js';
import { formatDateTime, roleLabel } from '../../format.js';
import { usePageTitle } from '../../pageTitle.js';

const PAGE_SIZE = 50;

interface Draft {
  userId: string;
  resourceType: string;
  resourceId: string;
  action: string;
  outcome: '' | AuditOutcome;
  from: string;
  to: string;
}

const EMPTY: Draft = {
  userId: '',
  resourceType: '',
  resourceId: '',
  action: '',
  outcome: '',
  from: '',
  to: '',
};
const LABELS: Record<keyof Draft, string> = {
  userId: 'User ID',
  resourceType: 'Resource type',
  resourceId: 'Resource ID',
  action: 'Action',
  outcome: 'Outcome',
  from: 'From',
  to: 'To',
};

/** The auditor's view of the audit trail: filter, read, export as NDJSON, verify the hash chain. */
export function AuditPage() {
  usePageTitle('Audit log');
  const { data: me } = useMe();
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [filters, setFilters] = useState<AuditFilters>({});
  const [checked, setChecked] = useState<FieldErrors>({});

  const logs = useInfiniteQuery({
    queryKey: ['audit', 'logs', filters],
    queryFn: ({ pageParam }) => audit.logs(filters, pageParam, PAGE_SIZE),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const problem = problemOf(logs.error);
  const errors = { ...mapProblemToFieldErrors(problem, Object.keys(LABELS)), ...checked };

  const apply = (event: FormEvent) => {
    event.preventDefault();
    const { filters: next, errors: found } = toFilters(draft);
    setChecked(found);
    if (Object.keys(found).length === 0) setFilters(next);
  };
  const clear = () => {
    setDraft(EMPTY);
    setChecked({});
    setFilters({});
  };
  const filterByUser = (userId: string) => {
    const next = { ...draft, userId };
    setDraft(next);
    const { filters: applied, errors: found } = toFilters(next);
    setChecked(found);
    if (Object.keys(found).length === 0) setFilters(applied);
  };
  const set = (key: keyof Draft, value: string) => {
    setDraft((d) => ({ ...d, [key]: value }));
    setChecked((c) => ({ ...c, [key]: undefined }));
  };

  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every access to protected records and every administrative change, newest first."
      />
      <Stack gap="lg">
        <Card withBorder padding="lg" component="section" aria-label="Filters">
          <form onSubmit={apply} noValidate role="search" aria-label="Filter audit entries">
            <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="md">
              <TextField
                label={LABELS.userId}
                description="The person or service that acted"
                value={draft.userId}
                onChange={(e) => set('userId', e.currentTarget.value)}
                error={errors.userId}
              />
              <TextField
                label={LABELS.resourceType}
                description="For example identity.users"
                value={draft.resourceType}
                onChange={(e) => set('resourceType', e.currentTarget.value)}
                error={errors.resourceType}
              />
              <TextField
                label={LABELS.resourceId}
                description="The record’s ID"
                value={draft.resourceId}
                onChange={(e) => set('resourceId', e.currentTarget.value)}
                error={errors.resourceId}
              />
              <SelectField
                label={LABELS.outcome}
                description="Allowed, denied or failed"
                value={draft.outcome}
                onChange={(v) => set('outcome', v ?? '')}
                data={[
                  { value: '', label: 'Any outcome' },
                  { value: 'allowed', label: 'Allowed' },
                  { value: 'denied', label: 'Denied' },
                  { value: 'error', label: 'Error' },
                ]}
                error={errors.outcome}
              />
              <TextField
                label={LABELS.from}
                description="On or after (your local time)"
                type="datetime-local"
                value={draft.from}
                onChange={(e) => set('from', e.currentTarget.value)}
                error={errors.from}
              />
              <TextField
                label={LABELS.to}
                description="Before (your local time)"
                type="datetime-local"
                value={draft.to}
                onChange={(e) => set('to', e.currentTarget.value)}
                error={errors.to}
              />
              <TextField
                label={LABELS.action}
                description="Permission used, e.g. identity.users.write"
                value={draft.action}
                onChange={(e) => set('action', e.currentTarget.value)}
                error={errors.action}
              />
            </SimpleGrid>
            <Group mt="md">
              <Button type="submit">Apply filters</Button>
              <Button variant="default" onClick={clear}>
                Clear filters
              </Button>
            </Group>
          </form>
        </Card>

        <Group gap="md" align="flex-start">
          {can(me, PERMISSIONS.exportAudit) ? <ExportButton filters={filters} /> : null}
          {can(me, PERMISSIONS.verifyAudit) ? <VerifyChain /> : null}
        </Group>

        <ProblemAlert problem={problem} fieldLabels={LABELS} />
        <DataTable
          caption="Audit entries matching the filters"
          columns={columnsFor(filterByUser)}
          rows={logs.data?.pages.flatMap((p) => p.items)}
          rowKey={(e) => e.id}
          loading={logs.isPending}
          emptyMessage="No audit entries match these filters."
          hasMore={logs.hasNextPage}
          onLoadMore={() => void logs.fetchNextPage()}
          loadingMore={logs.isFetchingNextPage}
          itemNoun="entries"
        />
      </Stack>
    </>
  );
}

const OUTCOME_LABEL: Record<AuditOutcome, string> = { allowed: 'Allowed', denied: 'Denied', error: 'Error' };
const OUTCOME_COLOR: Record<AuditOutcome, string> = {
  allowed: 'var(--mantine-color-text)',
  denied: 'var(--mantine-color-orange-light-color)',
  error: 'var(--mantine-color-red-light-color)',
};

function columnsFor(onFilterByUser: (userId: string) => void): DataTableColumn<AuditLogItem>[] {
  return [
    { key: 'when', header: 'When', rowHeader: true, cell: (e) => formatDateTime(e.occurredAt, true) },
    {
      key: 'who',
      header: 'Who',
      cell: (e) => (
        <>
          {e.actorId ? (
            <Anchor
              component="button"
              type="button"
              size="sm"
              ff="monospace"
              ta="left"
              style={{ wordBreak: 'break-all' }}
              title="Show only this user’s entries"
              onClick={() => onFilterByUser(e.actorId ?? '')}
            >
              {e.actorId}
            </Anchor>
          ) : (
            <Text size="sm">{e.actorKind === 'anonymous' ? 'Anonymous' : '—'}</Text>
          )}
          {e.actorRoles.length > 0 ? (
            <Text size="xs" c="dimmed">
              {e.actorRoles.map(roleLabel).join(', ')}
            </Text>
          ) : null}
        </>
      ),
    },
    { key: 'action', header: 'Action', cell: (e) => <Code>{e.action}</Code> },
    {
      key: 'record',
      header: 'Record',
      cell: (e) => (
        <>
          <Text size="sm">{e.resourceType}</Text>
          {e.resourceId ? (
            <Text size="xs" ff="monospace" c="dimmed" style={{ wordBreak: 'break-all' }}>
              {e.resourceId}
            </Text>
          ) : null}
        </>
      ),
    },
    { key: 'purpose', header: 'Purpose', cell: (e) => e.purposeOfUse },
    {
      key: 'outcome',
      header: 'Outcome',
      cell: (e) => (
        <>
          <Text size="sm" fw={e.outcome === 'allowed' ? 400 : 700} c={OUTCOME_COLOR[e.outcome]}>
            {OUTCOME_LABEL[e.outcome]}
          </Text>
          {e.reason ? (
            <Text size="xs" c="dimmed">
              {e.reason}
            </Text>
          ) : null}
        </>
      ),
    },
    { key: 'ip', header: 'From', cell: (e) => e.ip ?? '—' },
  ];
}

function ExportButton({ filters }: { filters: AuditFilters }) {
  const exporter = useMutation({
    mutationFn: async () => {
      const blob = await audit.export(filters);
      const name = `audit-log-${new Date().toISOString().replace(/[:.]/g, '-')}.ndjson`;
      download(blob, name);
      return { name, bytes: blob.size };
    },
  });
  return (
    <Stack gap="xs">
      <Button variant="default" onClick={() => exporter.mutate()} loading={exporter.isPending}>
        Export as NDJSON
      </Button>
      {exporter.data ? (
        <Text size="sm" role="status">
          Downloaded {exporter.data.name} ({formatBytes(exporter.data.bytes)}).
        </Text>
      ) : null}
      <ProblemAlert problem={problemOf(exporter.error)} />
    </Stack>
  );
}

function VerifyChain() {
  const verify = useMutation({ mutationFn: audit.verify });
  return (
    <Stack gap="xs" style={{ flex: 1, minWidth: 280 }}>
      <Button variant="default" onClick={() => verify.mutate()} loading={verify.isPending} w="fit-content">
        Verify chain
      </Button>
      {verify.data ? <VerificationResult result={verify.data} /> : null}
      <ProblemAlert problem={problemOf(verify.error)} />
    </Stack>
  );
}

function VerificationResult({ result }: { result: ChainVerification }) {
  if (result.ok) {
    return (
      <Alert color="green" variant="light" role="status" title="Chain intact">
        All {result.rowsChecked.toLocaleString()} entries check out
        {result.lastSeq > 0 ? `, up to entry #${result.lastSeq}` : ''}. No entry has been altered, removed or
        reordered.
      </Alert>
    );
  }
  const why = {
    'hash-mismatch': 'its contents do not match its hash (it was altered)',
    'prev-hash-mismatch': 'it does not link to the entry before it',
    'sequence-gap': 'entries before it are missing',
  }[result.reason];
  return (
    <Alert color="red" variant="light" role="alert" title="Chain broken">
      Entry #{result.firstBrokenSeq} fails: {why}.
      {result.missingSeqs ? ` Missing entries #${result.missingSeqs.from}–#${result.missingSeqs.to}.` : ''}{' '}
      {result.rowsChecked.toLocaleString()} entries were checked. Entry ID <Code>{result.firstBrokenId}</Code>
      .
    </Alert>
  );
}

function toFilters(draft: Draft): { filters: AuditFilters; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const filters: AuditFilters = {};
  for (const key of ['userId', 'resourceType', 'resourceId', 'action'] as const) {
    const value = draft[key].trim();
    if (value) filters[key] = value;
  }
  if (draft.outcome) filters.outcome = draft.outcome;
  for (const key of ['from', 'to'] as const) {
    if (!draft[key]) continue;
    const date = new Date(draft[key]);
    if (Number.isNaN(date.getTime())) errors[key] = 'Enter a date and time.';
    else filters[key] = date.toISOString();
  }
  if (filters.from && filters.to && filters.from > filters.to) errors.from = '“From” must not be after “To”.';
  return { filters, errors };
}

function download(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
