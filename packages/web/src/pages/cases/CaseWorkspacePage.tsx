import { DescriptionList, LoadingState, PageHeader, ProblemAlert, SectionCard, StatusBadge } from '@ehrms/ui';
import { Alert, Anchor, Button, Grid } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useLocation, useParams } from 'react-router';
import { cases, clients } from '../../api/endpoints.js';
import { problemOf } from '../../api/errors.js';
import type { Case } from '../../api/types.js';
import { can, PERMISSIONS } from '../../auth/permissions.js';
import { useMe } from '../../auth/useSession.js';
import { useDirectory, useUserName } from '../../directory.js';
import { formatDate } from '../../format.js';
import { usePageTitle } from '../../pageTitle.js';
import { CLIENTS_KEY, clientName } from '../clients/shared.js';
import { NotesSection } from './NotesSection.js';
import { CASE_TYPE_LABELS, CASES_KEY, CaseStatusBadge, RiskBadge } from './shared.js';

/** One case: who and what it is about, and its notes. */
export function CaseWorkspacePage() {
  const { id = '' } = useParams();
  const location = useLocation();
  const notice = (location.state as { notice?: string } | null)?.notice;
  const { data: me } = useMe();
  const found = useQuery({ queryKey: [...CASES_KEY, id], queryFn: () => cases.get(id) });
  const clientId = found.data?.clientId;
  const client = useQuery({
    queryKey: [...CLIENTS_KEY, clientId, 'record'],
    queryFn: () => clients.get(clientId ?? ''),
    enabled: Boolean(clientId),
    retry: false,
  });
  const name = client.data ? clientName(client.data) : 'Client';
  usePageTitle(found.data ? `Case — ${name}` : 'Case');

  if (found.isPending) return <LoadingState label="Loading the case…" />;
  if (found.isError) {
    return (
      <>
        <PageHeader title="Case" />
        <ProblemAlert problem={problemOf(found.error)} />
        <Anchor component={Link} to="/cases" mt="md" display="inline-block">
          Back to caseload
        </Anchor>
      </>
    );
  }
  const theCase = found.data;
  const writable =
    can(me, PERMISSIONS.writeNotes) && theCase.access === 'scope' && theCase.status !== 'closed';

  return (
    <>
      <PageHeader
        title={`Case — ${name}`}
        actions={
          <>
            <Button variant="default" component={Link} to={`/clients/${theCase.clientId}?tab=cases`}>
              Open client chart
            </Button>
            <Button variant="default" component={Link} to="/cases">
              Caseload
            </Button>
          </>
        }
      />
      {theCase.access === 'break_glass' ? (
        <Alert color="red" variant="light" title="Emergency access" mb="md" role="status">
          You are reading this case with break-the-glass; every access is recorded and reviewed.
        </Alert>
      ) : null}
      {notice ? (
        <Alert color="green" variant="light" role="status" mb="md" title="Done">
          {notice}
        </Alert>
      ) : null}
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, lg: 4 }}>
          <CaseSummary theCase={theCase} clientLabel={name} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 8 }}>
          <NotesSection caseId={theCase.id} writable={writable} />
        </Grid.Col>
      </Grid>
    </>
  );
}

function CaseSummary({ theCase, clientLabel }: { theCase: Case; clientLabel: string }) {
  const directory = useDirectory();
  const worker = useUserName(theCase.assignedWorkerId);
  return (
    <SectionCard title="Case">
      <DescriptionList
        termWidth={110}
        items={[
          {
            term: 'Client',
            value: (
              <Anchor component={Link} to={`/clients/${theCase.clientId}`}>
                {clientLabel}
              </Anchor>
            ),
          },
          { term: 'Program', value: directory.programName(theCase.programId) },
          { term: 'Team', value: directory.teamName(theCase.teamId) },
          { term: 'Type', value: CASE_TYPE_LABELS[theCase.type] },
          { term: 'Status', value: <CaseStatusBadge status={theCase.status} /> },
          { term: 'Risk', value: <RiskBadge risk={theCase.riskLevel} /> },
          { term: 'Worker', value: worker },
          { term: 'Opened', value: formatDate(theCase.openedOn) },
          { term: 'Closed', value: theCase.closedOn ? formatDate(theCase.closedOn) : null },
          {
            term: 'Confidentiality',
            value: theCase.part2 ? <StatusBadge tone="info">42 CFR Part 2</StatusBadge> : 'Standard',
          },
        ]}
      />
    </SectionCard>
  );
}
