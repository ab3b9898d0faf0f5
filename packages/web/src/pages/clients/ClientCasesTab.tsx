import { ProblemAlert, SectionCard } from '@ehrms/ui';
import { Button } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { cases } from '../../api/endpoints.js';
import { problemOf } from '../../api/errors.js';
import type { Client } from '../../api/types.js';
import { can, PERMISSIONS } from '../../auth/permissions.js';
import { useMe } from '../../auth/useSession.js';
import { CasesTable } from '../cases/CasesTable.js';
import { CASES_KEY } from '../cases/shared.js';
import { OpenCaseForm } from './OpenCaseForm.js';

/** The client's cases, newest first, and opening a new one. */
export function ClientCasesTab({ client }: { client: Client }) {
  const { data: me } = useMe();
  const [opening, setOpening] = useState(false);
  const list = useQuery({
    queryKey: [...CASES_KEY, 'list', { clientId: client.id }],
    queryFn: () => cases.list({ clientId: client.id, limit: 100 }),
  });
  // Emergency access reads the chart; it does not let anyone open cases.
  const mayOpen = can(me, PERMISSIONS.openCases) && client.access === 'scope' && client.status !== 'deceased';

  return (
    <SectionCard
      title="Cases"
      actions={
        mayOpen && !opening ? (
          <Button variant="default" onClick={() => setOpening(true)}>
            Open a case
          </Button>
        ) : null
      }
    >
      {opening ? <OpenCaseForm clientId={client.id} onCancel={() => setOpening(false)} /> : null}
      {list.isError ? <ProblemAlert problem={problemOf(list.error)} /> : null}
      <CasesTable
        caption="Cases of this client"
        rows={list.data?.items}
        loading={list.isPending}
        emptyMessage="No cases you may see."
      />
    </SectionCard>
  );
}
