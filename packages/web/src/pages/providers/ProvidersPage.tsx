import { DataTable, PageHeader, ProblemAlert, TextField, type DataTableColumn } from '@ehrms/ui';
import { Anchor, Group } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { providers } from '../../api/endpoints.js';
import { problemOf } from '../../api/errors.js';
import type { Provider } from '../../api/types.js';
import { usePageTitle } from '../../pageTitle.js';
import { ActiveBadge, PROVIDERS_KEY } from './shared.js';

const columns: DataTableColumn<Provider>[] = [
  {
    key: 'name',
    header: 'Name',
    rowHeader: true,
    cell: (p) => (
      <Anchor component={Link} to={`/providers/${p.id}`} tabIndex={-1}>
        {p.name}
      </Anchor>
    ),
  },
  { key: 'kind', header: 'Kind', cell: (p) => (p.kind === 'individual' ? 'Individual' : 'Organisation') },
  { key: 'npi', header: 'NPI', cell: (p) => p.npi },
  { key: 'status', header: 'Status', cell: (p) => <ActiveBadge active={p.status === 'active'} /> },
];

/** The agency's provider directory: search by name or NPI, open one for credentials, sites and contracts. */
export function ProvidersPage() {
  usePageTitle('Providers');
  const navigate = useNavigate();
  const [search, setSearch] = useState('');
  const [term] = useDebouncedValue(search.trim(), 300);
  const query = /^\d{10}$/.test(term) ? { npi: term } : term ? { name: term } : {};

  const list = useInfiniteQuery({
    queryKey: [...PROVIDERS_KEY, 'list', query],
    queryFn: ({ pageParam }) => providers.list({ ...query, cursor: pageParam, limit: 50 }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });

  return (
    <>
      <PageHeader
        title="Providers"
        description="Providers your agency works with. Select a row to open it."
      />
      <Group
        component="form"
        role="search"
        aria-label="Find a provider"
        mb="md"
        onSubmit={(e) => e.preventDefault()}
      >
        <TextField
          label="Search"
          description="Name, or a 10-digit NPI"
          type="search"
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          w={{ base: '100%', sm: 320 }}
        />
      </Group>
      {list.isError ? <ProblemAlert problem={problemOf(list.error)} /> : null}
      <DataTable
        caption="Providers"
        captionHidden
        columns={columns}
        rows={list.data?.pages.flatMap((p) => p.items)}
        rowKey={(p) => p.id}
        loading={list.isPending}
        emptyMessage={term ? 'No providers match this search.' : 'No providers yet.'}
        onRowActivate={(p) => navigate(`/providers/${p.id}`)}
        hasMore={list.hasNextPage}
        onLoadMore={() => void list.fetchNextPage()}
        loadingMore={list.isFetchingNextPage}
        itemNoun="providers"
      />
    </>
  );
}
