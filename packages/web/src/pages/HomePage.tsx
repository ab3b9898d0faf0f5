import { PageHeader } from '@ehrms/ui';
import { Anchor, Card, Group, List, SimpleGrid, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { users } from '../api/endpoints.js';
import type { Me } from '../api/types.js';
import { can, PERMISSIONS } from '../auth/permissions.js';
import { useMe } from '../auth/useSession.js';
import { roleLabel } from '../format.js';
import { usePageTitle } from '../pageTitle.js';

/** The landing page, shaped by what the user's roles let them do. */
export function HomePage() {
  usePageTitle('Home');
  const { data: me } = useMe();
  if (!me) return null;
  const admin = can(me, PERMISSIONS.manageUsers);
  const auditor = can(me, PERMISSIONS.readAudit);
  return (
    <>
      <PageHeader title={`Welcome, ${me.displayName}`} description={me.roles.map(roleLabel).join(', ')} />
      {admin || auditor ? <AdministrationHome me={me} /> : <WorkerHome me={me} />}
    </>
  );
}

function AdministrationHome({ me }: { me: Me }) {
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
      {can(me, PERMISSIONS.manageUsers) ? (
        <HomeCard
          title="User administration"
          href="/admin/users"
          linkLabel="Manage users"
          extra={
            <Anchor component={Link} to="/admin/users/new" size="sm">
              Create a user
            </Anchor>
          }
        >
          Create staff accounts, assign roles and teams, and deactivate or reactivate people.
        </HomeCard>
      ) : null}
      {can(me, PERMISSIONS.readProviders) ? <ProvidersCard /> : null}
      {can(me, PERMISSIONS.readAudit) ? (
        <HomeCard title="Audit log" href="/audit" linkLabel="Open the audit log">
          Search who accessed which record, when, why and from where; export entries and verify that the trail
          has not been altered.
        </HomeCard>
      ) : null}
    </SimpleGrid>
  );
}

function ProvidersCard() {
  return (
    <HomeCard title="Providers" href="/providers" linkLabel="Browse providers">
      The agency’s providers: whether they can be booked today, credentials about to expire, sites, services
      and contract rates.
    </HomeCard>
  );
}

function HomeCard({
  title,
  href,
  linkLabel,
  extra,
  children,
}: {
  title: string;
  href: string;
  linkLabel: string;
  extra?: ReactNode;
  children: ReactNode;
}) {
  const titleId = `home-${href.replace(/[^a-z0-9]+/gi, '-')}-title`;
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby={titleId}>
      <Title order={2} size="h3" id={titleId}>
        {title}
      </Title>
      <Text size="sm" mt="xs" mb="md">
        {children}
      </Text>
      <Group gap="md">
        <Anchor component={Link} to={href} fw={600}>
          {linkLabel}
        </Anchor>
        {extra}
      </Group>
    </Card>
  );
}

/** Staff without admin screens: who they are here, and the screens of their daily work. */
function WorkerHome({ me }: { me: Me }) {
  const teams = useTeamNames(me);
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
      <Card withBorder padding="lg" component="section" aria-labelledby="you-title">
        <Title order={2} size="h3" id="you-title">
          Your access
        </Title>
        <Text size="sm" fw={600} mt="sm">
          Roles
        </Text>
        <List size="sm">
          {me.roles.map((role) => (
            <List.Item key={role}>{roleLabel(role)}</List.Item>
          ))}
        </List>
        <Text size="sm" fw={600} mt="sm">
          Teams
        </Text>
        {me.teamIds.length === 0 ? (
          <Text size="sm">You are not on a team.</Text>
        ) : (
          <List size="sm">
            {me.teamIds.map((id) => (
              <List.Item key={id}>{teams.get(id) ?? 'Team (name unavailable)'}</List.Item>
            ))}
          </List>
        )}
      </Card>
      {can(me, PERMISSIONS.readClients) ? (
        <HomeCard
          title="Clients"
          href="/clients"
          linkLabel="Find a client"
          extra={
            can(me, PERMISSIONS.registerClients) ? (
              <Anchor component={Link} to="/clients/new" size="sm">
                Register a client
              </Anchor>
            ) : null
          }
        >
          Search by name (typos are fine), date of birth or identifier, and open the client’s chart.
        </HomeCard>
      ) : null}
      {can(me, PERMISSIONS.readCases) ? (
        <HomeCard title="Caseload" href="/cases" linkLabel="Open your caseload">
          Your cases and your teams’ cases, with their notes: draft, sign and add addenda.
        </HomeCard>
      ) : null}
      {can(me, PERMISSIONS.readProviders) ? <ProvidersCard /> : null}
    </SimpleGrid>
  );
}

// Team names come from /teams when the user may read it; otherwise the list says so plainly.
function useTeamNames(me: Me): Map<string, string> {
  const teams = useQuery({
    queryKey: ['teams'],
    queryFn: users.teams,
    enabled: me.teamIds.length > 0,
    retry: false,
    staleTime: 5 * 60_000,
  });
  return new Map((teams.data?.items ?? []).map((t) => [t.id, `${t.name} (${t.programName})`]));
}
