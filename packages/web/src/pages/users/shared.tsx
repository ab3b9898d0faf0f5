import { Badge } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { users } from '../../api/endpoints.js';
import type { UserStatus } from '../../api/types.js';
import { roleLabel } from '../../format.js';

export const USERS_KEY = ['users'] as const;

/** Status in words (with a colour as a second cue, never the only one). */
export function UserStatusBadge({ status }: { status: UserStatus }) {
  return status === 'active' ? (
    <Badge color="green" variant="light">
      Active
    </Badge>
  ) : (
    <Badge color="gray" variant="outline" styles={{ label: { color: 'var(--mantine-color-text)' } }}>
      Deactivated
    </Badge>
  );
}

export interface Option {
  value: string;
  label: string;
}

/** Role and team choices for the user forms, from /roles and /teams (teams grouped by program). */
export function useRoleAndTeamOptions() {
  const roles = useQuery({ queryKey: ['roles'], queryFn: users.roles, staleTime: 5 * 60_000 });
  const teams = useQuery({ queryKey: ['teams'], queryFn: users.teams, staleTime: 5 * 60_000 });
  const roleOptions: Option[] = (roles.data?.items ?? []).map((r) => ({
    value: r.name,
    label: r.requiresMfa ? `${roleLabel(r.name)} (requires two-step verification)` : roleLabel(r.name),
  }));
  const byProgram = new Map<string, Option[]>();
  for (const team of teams.data?.items ?? []) {
    const list = byProgram.get(team.programName) ?? [];
    list.push({ value: team.id, label: team.name });
    byProgram.set(team.programName, list);
  }
  const teamOptions = [...byProgram.entries()].map(([group, items]) => ({ group, items }));
  return {
    roleOptions,
    teamOptions,
    loading: roles.isPending || teams.isPending,
    error: roles.error ?? teams.error,
  };
}

export const USER_FIELD_LABELS = {
  email: 'Email',
  displayName: 'Full name',
  password: 'Temporary password',
  roles: 'Roles',
  teamIds: 'Teams',
} as const;
