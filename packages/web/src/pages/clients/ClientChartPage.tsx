import { LoadingState, PageHeader, ProblemAlert, StatusBadge } from '@ehrms/ui';
import { Alert, Anchor, Button, Group, Tabs, Text } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useLocation, useParams, useSearchParams } from 'react-router';
import { clients } from '../../api/endpoints.js';
import { ApiError, problemOf } from '../../api/errors.js';
import type { Client, ClientChart } from '../../api/types.js';
import { can, PERMISSIONS } from '../../auth/permissions.js';
import { useMe } from '../../auth/useSession.js';
import { ageOn, formatDate, formatDateTime } from '../../format.js';
import { usePageTitle } from '../../pageTitle.js';
import { ClientAppointmentsTab } from '../scheduling/ClientAppointmentsTab.js';
import { OutOfScope } from './BreakGlassForm.js';
import { ClientCasesTab } from './ClientCasesTab.js';
import { ConsentsTab } from './ConsentsTab.js';
import { DemographicsTab } from './DemographicsTab.js';
import { DocumentsTab } from './DocumentsTab.js';
import { ProgramsTab } from './ProgramsTab.js';
import { CLIENTS_KEY, ClientStatusBadge, clientName } from './shared.js';

const TABS = ['demographics', 'programs', 'cases', 'appointments', 'documents', 'consents'] as const;
type Tab = (typeof TABS)[number];

export const chartKey = (id: string) => [...CLIENTS_KEY, id, 'chart'] as const;

/** A client's chart: who they are, their programs, cases, documents and consents. */
export function ClientChartPage() {
  const { id = '' } = useParams();
  const queryClient = useQueryClient();
  const { data: me } = useMe();
  const chart = useQuery({ queryKey: chartKey(id), queryFn: () => clients.chart(id) });
  usePageTitle(chart.data ? clientName(chart.data.client) : 'Client chart');

  if (chart.isPending) return <LoadingState label="Loading the chart…" />;
  if (chart.isError) {
    if (chart.error instanceof ApiError && chart.error.status === 403) {
      return (
        <OutOfScope
          clientId={id}
          refusal={chart.error}
          mayBreakGlass={can(me, PERMISSIONS.breakGlass)}
          onGranted={() => void queryClient.invalidateQueries({ queryKey: [...CLIENTS_KEY, id] })}
        />
      );
    }
    return (
      <>
        <PageHeader title="Client chart" />
        <ProblemAlert problem={problemOf(chart.error)} />
        <Anchor component={Link} to="/clients" mt="md" display="inline-block">
          Back to client search
        </Anchor>
      </>
    );
  }
  return <Chart chart={chart.data} />;
}

function Chart({ chart }: { chart: ClientChart }) {
  const { client } = chart;
  const location = useLocation();
  const notice = (location.state as { notice?: string } | null)?.notice;
  const [params, setParams] = useSearchParams();
  const { data: me } = useMe();
  const shown = TABS.filter(
    (t) =>
      (t !== 'appointments' || can(me, PERMISSIONS.readAppointments)) &&
      (t !== 'documents' || can(me, PERMISSIONS.readDocuments)) &&
      (t !== 'consents' || can(me, PERMISSIONS.readConsents)),
  );
  const tab: Tab = shown.find((t) => t === params.get('tab')) ?? 'demographics';

  return (
    <>
      <PageHeader
        title={clientName(client)}
        actions={
          <Button variant="default" component={Link} to="/clients">
            Back to client search
          </Button>
        }
      />
      <ChartSummary client={client} />
      {client.access === 'break_glass' ? <EmergencyAccessBanner clientId={client.id} /> : null}
      {notice ? (
        <Alert color="green" variant="light" role="status" mb="md" title="Done">
          {notice}
        </Alert>
      ) : null}
      <Tabs
        value={tab}
        onChange={(next) =>
          setParams(next && next !== 'demographics' ? { tab: next } : {}, { replace: true })
        }
        keepMounted={false}
      >
        <Tabs.List aria-label="Chart sections" mb="md">
          <Tabs.Tab value="demographics">Demographics</Tabs.Tab>
          <Tabs.Tab value="programs">Programs</Tabs.Tab>
          <Tabs.Tab value="cases">Cases</Tabs.Tab>
          {shown.includes('appointments') ? <Tabs.Tab value="appointments">Appointments</Tabs.Tab> : null}
          {shown.includes('documents') ? <Tabs.Tab value="documents">Documents</Tabs.Tab> : null}
          {shown.includes('consents') ? <Tabs.Tab value="consents">Consents</Tabs.Tab> : null}
        </Tabs.List>
        <Tabs.Panel value="demographics">
          <DemographicsTab chart={chart} />
        </Tabs.Panel>
        <Tabs.Panel value="programs">
          <ProgramsTab enrollments={chart.enrollments} />
        </Tabs.Panel>
        <Tabs.Panel value="cases">
          <ClientCasesTab client={client} />
        </Tabs.Panel>
        <Tabs.Panel value="appointments">
          <ClientAppointmentsTab client={client} />
        </Tabs.Panel>
        <Tabs.Panel value="documents">
          <DocumentsTab clientId={client.id} />
        </Tabs.Panel>
        <Tabs.Panel value="consents">
          <ConsentsTab clientId={client.id} />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}

/** The line under the name: what staff check first when they open a chart. */
function ChartSummary({ client }: { client: Client }) {
  const facts = [
    `Born ${formatDate(client.birthDate)} (age ${ageOn(client.birthDate)})`,
    client.preferredName ? `Goes by ${client.preferredName}` : null,
    client.pronouns ? `Pronouns ${client.pronouns}` : null,
    client.primaryLanguage ? `Speaks ${client.primaryLanguage}` : null,
  ].filter(Boolean);
  return (
    <Group gap="xs" wrap="wrap" mt={-8} mb="md">
      <Text size="sm">{facts.join(' · ')}</Text>
      {client.interpreterNeeded ? <StatusBadge tone="warning">Interpreter needed</StatusBadge> : null}
      <ClientStatusBadge status={client.status} />
    </Group>
  );
}

function EmergencyAccessBanner({ clientId }: { clientId: string }) {
  const grants = useQuery({
    queryKey: [...CLIENTS_KEY, 'break-glass', 'mine'],
    queryFn: clients.myBreakGlassGrants,
  });
  const grant = grants.data?.items.find((g) => g.clientId === clientId);
  return (
    <Alert
      color="red"
      variant="light"
      title="Emergency access"
      mb="md"
      role="status"
      styles={{ root: { borderLeft: '6px solid var(--mantine-color-red-9)' } }}
    >
      You opened this chart with break-the-glass
      {grant ? ` until ${formatDateTime(grant.expiresAt)}` : ''}. Everything you open is recorded with your
      reason and reviewed by the privacy officer. Open only what the emergency needs.
    </Alert>
  );
}
