import { DataTable, PageHeader, ProblemAlert, SelectField, TextField, type DataTableColumn } from '@ehrms/ui';
import { Anchor, Button, Group, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { users } from '../../api/endpoints.js';
import { problemOf } from '../../api/errors.js';
import type { User, UserStatus } from '../../api/types.js';
import { roleLabel } from '../../format.js';
import { usePageTitle } from '../../pageTitle.js';
import { USERS_KEY, UserStatusBadge } from './shared.js';

const PAGE_SIZE = 25;

const columns: DataTableColumn<User>[] = [
  {
    key: 'name',
    header: 'Name',
    rowHeader: true,
    cell: (u) => (
      <Anchor component={Link} to={`/admin/users/${u.id}`} tabIndex={-1}>
        {u.displayName}
      </Anchor>
    ),
  },
  { key: 'email', header: 'Email', cell: (u) => u.email },
  { key: 'roles', header: 'Roles', cell: (u) => u.roles.map(roleLabel).join(', ') || '—' },
  { key: 'status', header: 'Status', cell: (u) => <UserStatusBadge status={u.status} /> },
  { key: 'mfa', header: 'Two-step verification', cell: (u) => (u.mfaEnabled ? 'On' : 'Off') },
];

/** Staff accounts: search by name or email, filter by status, open one to edit. */
export function UsersPage() {
  usePageTitle('Users');
  const navigate = useNavigate();
  const [search, setSearch] = useState('');
  const [status, setStatus] = useState<'' | UserStatus>('');
  const [q] = useDebouncedValue(search.trim(), 300);

  const list = useInfiniteQuery({
    queryKey: [...USERS_KEY, 'list', { q, status }],
    queryFn: ({ pageParam }) =>
      users.list({ q: q || undefined, status: status || undefined, cursor: pageParam, limit: PAGE_SIZE }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const rows = list.data?.pages.flatMap((p) => p.items);

  return (
    <>
      <PageHeader
        title="Users"
        description="Staff accounts in your agency. Select a row to edit it."
        actions={
          <Button component={Link} to="/admin/users/new">
            Create user
          </Button>
        }
      />
      <Group
        component="form"
        role="search"
        aria-label="Filter users"
        align="flex-end"
        gap="md"
        mb="md"
        onSubmit={(e) => e.preventDefault()}
      >
        <TextField
          label="Search"
          description="Name or email"
          type="search"
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          w={{ base: '100%', sm: 320 }}
        />
        <SelectField
          label="Status"
          value={status}
          onChange={(v) => setStatus((v ?? '') as '' | UserStatus)}
          data={[
            { value: '', label: 'All statuses' },
            { value: 'active', label: 'Active' },
            { value: 'deactivated', label: 'Deactivated' },
          ]}
          w={{ base: '100%', sm: 200 }}
        />
      </Group>
      {list.isError ? <ProblemAlert problem={problemOf(list.error)} /> : null}
      <DataTable
        caption="Users"
        captionHidden
        columns={columns}
        rows={rows}
        rowKey={(u) => u.id}
        loading={list.isPending}
        emptyMessage={q || status ? 'No users match these filters.' : 'No users yet.'}
        onRowActivate={(u) => navigate(`/admin/users/${u.id}`)}
        hasMore={list.hasNextPage}
        onLoadMore={() => void list.fetchNextPage()}
        loadingMore={list.isFetchingNextPage}
        itemNoun="users"
      />
      {list.isFetchingNextPage ? null : (
        <Text size="xs" c="dimmed" mt="xs">
          Press Enter on a focused row to open it.
        </Text>
      )}
    </>
  );
}
