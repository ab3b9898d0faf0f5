import { useQuery } from '@tanstack/react-query';
import { useSyncExternalStore } from 'react';
import { me } from '../api/endpoints.js';
import { session, type SessionSnapshot } from './session.js';

export function useSession(): SessionSnapshot {
  return useSyncExternalStore(session.subscribe, session.getSnapshot);
}

export const ME_KEY = ['me'] as const;

/** The signed-in user with their grants (permission → scope), which drive navigation. */
export function useMe() {
  const { status, user } = useSession();
  return useQuery({
    queryKey: [...ME_KEY, user?.id],
    queryFn: me.get,
    enabled: status === 'signed-in',
    staleTime: 60_000,
  });
}
