import type { QueryInvalidationMap } from '@hybridstate/sync-client/react';
import { useQuery } from '@tanstack/react-query';
import { useAppApi } from '../api/app-api-context.tsx';

/** React Query keys of what the Mini App shows. */
export const QUERY_KEYS = {
  me: ['me'],
  tasks: ['tasks'],
  payouts: ['payouts'],
} as const;

/**
 * Which queries each sync event makes stale. The gateway sends this user only events about
 * themself (plus public content), so no payload filtering is needed here.
 */
export const INVALIDATION: QueryInvalidationMap = {
  'users.*': [QUERY_KEYS.me],
  'payouts.*': [QUERY_KEYS.payouts, QUERY_KEYS.me],
  'tasks.*': [QUERY_KEYS.tasks],
  'settings.updated': [QUERY_KEYS.me],
};

/** The user (balance, held) and the payout settings. */
export function useMe() {
  const api = useAppApi();
  return useQuery({ queryKey: QUERY_KEYS.me, queryFn: api.me });
}

/** Active tasks with this user's completion flag. */
export function useTasks() {
  const api = useAppApi();
  return useQuery({ queryKey: QUERY_KEYS.tasks, queryFn: api.tasks });
}

/** This user's payout requests. */
export function usePayouts() {
  const api = useAppApi();
  return useQuery({ queryKey: QUERY_KEYS.payouts, queryFn: api.payouts });
}
