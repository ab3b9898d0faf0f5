import { PageHeader, ProblemAlert, SelectField } from '@ehrms/ui';
import { Group, SegmentedControl, Stack, Text } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { cases } from '../../api/endpoints.js';
import { problemOf } from '../../api/errors.js';
import type { Case, CaseloadView } from '../../api/types.js';
import { usePageTitle } from '../../pageTitle.js';
import { CasesTable } from './CasesTable.js';
import { CASES_KEY } from './shared.js';

interface View {
  value: CaseloadView;
  label: string;
  empty: string;
}
const MINE: View = { value: 'mine', label: 'Assigned to me', empty: 'No cases are assigned to you.' };
const VIEWS: View[] = [
  MINE,
  { value: 'team', label: 'My teams', empty: 'Your teams have no cases with this status.' },
  { value: 'program', label: 'My programs', empty: 'Your programs have no cases with this status.' },
];
const STATUSES = [
  { value: 'open', label: 'Open' },
  { value: 'pending_closure', label: 'Closing' },
  { value: 'closed', label: 'Closed' },
  { value: 'all', label: 'All statuses' },
];

/** The caseload: my cases, my teams' or my programs', newest first. View and status live in the URL. */
export function CaseloadPage() {
  usePageTitle('Caseload');
  const [params, setParams] = useSearchParams();
  const view = VIEWS.find((v) => v.value === params.get('view')) ?? MINE;
  const status = STATUSES.find((s) => s.value === params.get('status'))?.value ?? 'open';
  const update = (next: { view?: string; status?: string }) =>
    setParams({ view: next.view ?? view.value, status: next.status ?? status }, { replace: true });

  const list = useInfiniteQuery({
    queryKey: [...CASES_KEY, 'list', { view: view.value, status }],
    queryFn: ({ pageParam }) =>
      cases.list({
        view: view.value,
        status: status === 'all' ? undefined : (status as Case['status']),
        cursor: pageParam,
        limit: 50,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });

  return (
    <>
      <PageHeader title="Caseload" description="Select a case to open its notes." />
      <Group align="flex-end" gap="md" mb="md">
        <Stack gap={4}>
          <Text size="sm" fw={500} id="caseload-view-label">
            Show
          </Text>
          <SegmentedControl
            role="radiogroup"
            aria-labelledby="caseload-view-label"
            value={view.value}
            onChange={(v) => update({ view: v })}
            data={VIEWS.map(({ value, label }) => ({ value, label }))}
          />
        </Stack>
        <SelectField
          label="Status"
          value={status}
          onChange={(v) => update({ status: v ?? 'open' })}
          data={STATUSES}
          w={{ base: '100%', sm: 200 }}
        />
      </Group>
      {list.isError ? <ProblemAlert problem={problemOf(list.error)} /> : null}
      <CasesTable
        caption={`Cases: ${view.label.toLowerCase()}`}
        showClient
        rows={list.data?.pages.flatMap((p) => p.items)}
        loading={list.isPending}
        emptyMessage={view.empty}
        hasMore={list.hasNextPage}
        onLoadMore={() => void list.fetchNextPage()}
        loadingMore={list.isFetchingNextPage}
      />
    </>
  );
}
