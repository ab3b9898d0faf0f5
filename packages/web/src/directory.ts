import { useQuery } from '@tanstack/react-query';
import { users } from './api/endpoints.js';
import { useMe } from './auth/useSession.js';

/**
 * Names for the ids records carry (team, program, worker), from the identity directory. Anyone
 * who may read colleagues has /teams; without it the screens say "Team" or "Program" plainly.
 */
export function useDirectory() {
  const teams = useQuery({
    queryKey: ['teams'],
    queryFn: users.teams,
    retry: false,
    staleTime: 5 * 60_000,
  });
  const items = teams.data?.items ?? [];
  const teamNames = new Map(items.map((t) => [t.id, t.name]));
  const programNames = new Map(items.map((t) => [t.programId, t.programName]));
  return {
    teams: items,
    teamName: (id: string | null | undefined) => (id ? (teamNames.get(id) ?? 'Team') : '—'),
    programName: (id: string | null | undefined) => (id ? (programNames.get(id) ?? 'Program') : '—'),
  };
}

/** A colleague's name: "You" for the signed-in user; a plain word when the directory will not say. */
export function useUserName(id: string | null | undefined, fallback = 'Another worker'): string {
  const { data: me } = useMe();
  const mine = id !== null && id !== undefined && id === me?.id;
  const user = useQuery({
    queryKey: ['users', 'detail', id],
    queryFn: () => users.get(id ?? ''),
    enabled: Boolean(id) && !mine,
    retry: false,
    staleTime: 5 * 60_000,
  });
  if (!id) return 'Unassigned';
  if (mine) return `You (${me.displayName})`;
  return user.data?.user.displayName ?? fallback;
}
