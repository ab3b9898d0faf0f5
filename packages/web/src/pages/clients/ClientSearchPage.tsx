import { DataTable, PageHeader, ProblemAlert, type DataTableColumn } from '@ehrms/ui';
import { Anchor, Button, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { clients } from '../../api/endpoints.js';
import { problemOf } from '../../api/errors.js';
import type { ClientSearchHit } from '../../api/types.js';
import { can, PERMISSIONS } from '../../auth/permissions.js';
import { useMe } from '../../auth/useSession.js';
import { ageOn, formatDate } from '../../format.js';
import { usePageTitle } from '../../pageTitle.js';
import { ClientSearchForm, EMPTY_SEARCH, toClientSearch, type SearchInput } from './ClientSearchForm.js';
import { CLIENTS_KEY, ClientStatusBadge, clientName } from './shared.js';

const columns: DataTableColumn<ClientSearchHit>[] = [
  {
    key: 'name',
    header: 'Name',
    rowHeader: true,
    cell: (c) => (
      <Anchor component={Link} to={`/clients/${c.id}`} tabIndex={-1}>
        {clientName(c)}
        {c.preferredName ? ` (“${c.preferredName}”)` : ''}
      </Anchor>
    ),
  },
  { key: 'dob', header: 'Date of birth', cell: (c) => formatDate(c.birthDate) },
  { key: 'age', header: 'Age', cell: (c) => ageOn(c.birthDate) },
  { key: 'status', header: 'Status', cell: (c) => <ClientStatusBadge status={c.status} /> },
];

/**
 * Finding a client: search by a name (typos forgiven), date of birth or identifier, within the
 * user's caseload scope; each search is one audited request, made on submit, not per keystroke.
 */
export function ClientSearchPage() {
  usePageTitle('Clients');
  const navigate = useNavigate();
  const location = useLocation();
  const { data: me } = useMe();
  // The last search survives "Back" from a chart in history state (never in the URL: it may hold PHI).
  const restored = (location.state as { search?: SearchInput } | null)?.search;
  const [input, setInput] = useState<SearchInput | null>(restored ?? null);
  const query = input ? toClientSearch(input) : null;

  const results = useQuery({
    queryKey: [...CLIENTS_KEY, 'search', query],
    queryFn: () => clients.search(query ?? {}),
    enabled: query !== null,
  });
  const search = (next: SearchInput) => {
    setInput(next);
    void navigate('.', { replace: true, state: { search: { ...next, identifier: '' } } });
  };
  const mayRegister = can(me, PERMISSIONS.registerClients);

  return (
    <>
      <PageHeader
        title="Clients"
        description="Find a client on your caseload. Select a row to open the chart."
        actions={
          mayRegister ? (
            <Button component={Link} to="/clients/new">
              Register client
            </Button>
          ) : null
        }
      />
      <ClientSearchForm
        initial={restored ?? EMPTY_SEARCH}
        problem={results.isError ? problemOf(results.error) : null}
        searching={results.isFetching}
        onSearch={search}
      />
      {results.isError ? <ProblemAlert problem={problemOf(results.error)} /> : null}
      {query === null ? (
        <Text size="sm">Search by name, date of birth, SSN, Medicaid ID or phone number.</Text>
      ) : (
        <>
          <DataTable
            caption="Matching clients, best match first"
            columns={columns}
            rows={results.data?.items}
            rowKey={(c) => c.id}
            loading={results.isPending}
            emptyMessage="No clients on your caseload match this search. Check the spelling or try the date of birth."
            onRowActivate={(c) => navigate(`/clients/${c.id}`)}
            itemNoun="clients"
          />
          {results.isSuccess && results.data.items.length === 0 && mayRegister ? (
            <Text size="sm" mt="xs">
              Not on record yet?{' '}
              <Anchor component={Link} to="/clients/new">
                Register the client
              </Anchor>
              .
            </Text>
          ) : null}
        </>
      )}
    </>
  );
}
