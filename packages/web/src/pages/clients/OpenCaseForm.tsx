import { mapProblemToFieldErrors, ProblemAlert, SelectField } from '@ehrms/ui';
import { Button, Fieldset, Group, SimpleGrid, Stack } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { cases } from '../../api/endpoints.js';
import { problemOf } from '../../api/errors.js';
import type { NewCase } from '../../api/types.js';
import { useMe } from '../../auth/useSession.js';
import { useDirectory } from '../../directory.js';
import { CASE_TYPE_OPTIONS, CASES_KEY, RISK_OPTIONS } from '../cases/shared.js';

const LABELS = { teamId: 'Team', programId: 'Program', type: 'Case type', riskLevel: 'Risk level' };

/** Opens a case for the client, worked by one of the user's teams (in its program) and assigned to them. */
export function OpenCaseForm({ clientId, onCancel }: { clientId: string; onCancel: () => void }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { data: me } = useMe();
  const directory = useDirectory();
  const myTeams = directory.teams.filter((t) => me?.teamIds.includes(t.id));
  const [teamId, setTeamId] = useState<string | null>(null);
  const [type, setType] = useState<NewCase['type']>('ongoing');
  const [riskLevel, setRiskLevel] = useState<NewCase['riskLevel']>('low');
  const team = myTeams.find((t) => t.id === teamId) ?? myTeams[0];

  const open = useMutation({
    mutationFn: () => {
      if (!team) throw new Error('You are not on a team that can open cases.');
      return cases.open({ clientId, teamId: team.id, programId: team.programId, type, riskLevel });
    },
    onSuccess: (opened) => {
      void queryClient.invalidateQueries({ queryKey: CASES_KEY });
      void navigate(`/cases/${opened.id}`, { state: { notice: 'The case was opened and assigned to you.' } });
    },
  });
  const problem = problemOf(open.error);
  const errors = mapProblemToFieldErrors(problem, Object.keys(LABELS));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    open.mutate();
  };

  return (
    <form onSubmit={submit} noValidate aria-label="Open a case">
      <Fieldset legend="Open a case" mb="md">
        <Stack gap="md">
          <ProblemAlert problem={problem} fieldLabels={LABELS} />
          <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md">
            <SelectField
              label="Team"
              description="The case is assigned to you on this team"
              value={team?.id ?? null}
              onChange={setTeamId}
              data={myTeams.map((t) => ({ value: t.id, label: `${t.name} (${t.programName})` }))}
              error={errors.teamId ?? errors.programId}
              withAsterisk
            />
            <SelectField
              label="Case type"
              value={type}
              onChange={(v) => setType((v ?? 'ongoing') as NewCase['type'])}
              data={CASE_TYPE_OPTIONS}
              error={errors.type}
              withAsterisk
            />
            <SelectField
              label="Risk level"
              value={riskLevel}
              onChange={(v) => setRiskLevel((v ?? 'low') as NewCase['riskLevel'])}
              data={RISK_OPTIONS}
              error={errors.riskLevel}
              withAsterisk
            />
          </SimpleGrid>
          <Group>
            <Button type="submit" loading={open.isPending}>
              Open case
            </Button>
            <Button variant="default" onClick={onCancel}>
              Cancel
            </Button>
          </Group>
        </Stack>
      </Fieldset>
    </form>
  );
}
