import { type QueryClient, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { matchesPattern } from '../event-pattern.ts';
import type { SyncEvent } from '../frames.ts';
import type { SyncClient } from '../sync-client.ts';
import { useSyncClient } from './sync-context.tsx';

/** A React Query key. */
export type QueryKey = readonly unknown[];

/**
 * Which queries each event makes stale: pattern → keys, or a function of the event (e.g. the
 * user's own balance query).
 */
export type QueryInvalidationMap = Readonly<
  Record<string, readonly QueryKey[] | ((event: SyncEvent) => readonly QueryKey[])>
>;

/** The query keys `map` names for `event` (every matching pattern). */
export function queryKeysFor(map: QueryInvalidationMap, event: SyncEvent): QueryKey[] {
  return Object.entries(map).flatMap(([pattern, keys]) =>
    matchesPattern(pattern, event.type)
      ? [...(typeof keys === 'function' ? keys(event) : keys)]
      : [],
  );
}

/**
 * Invalidate React Query queries from sync events: the matching keys of `map` on each event,
 * and every query on each (re)connection (events of the gap are lost). Returns the stop
 * function.
 *
 * @example
 * ```ts
 * invalidateQueriesOnSync(sync, queryClient, {
 *   'scenarios.*': [['scenarios']],
 *   'users.balance_updated': (e) => [['users', e.data.userId], ['users']],
 * });
 * ```
 */
export function invalidateQueriesOnSync(
  client: SyncClient,
  queryClient: Pick<QueryClient, 'invalidateQueries'>,
  map: QueryInvalidationMap,
): () => void {
  const stopEvents = client.subscribe(Object.keys(map), (event) => {
    for (const queryKey of queryKeysFor(map, event))
      void queryClient.invalidateQueries({ queryKey });
  });
  const stopConnected = client.onConnected(() => void queryClient.invalidateQueries());
  return () => {
    stopEvents();
    stopConnected();
  };
}

/** {@link invalidateQueriesOnSync} for the component's lifetime, with the nearest QueryClient. */
export function useSyncQueryInvalidation(map: QueryInvalidationMap): void {
  const client = useSyncClient();
  const queryClient = useQueryClient();
  const latest = useRef(map);
  latest.current = map;
  const key = Object.keys(map).join('\n');
  useEffect(() => {
    const proxy: QueryInvalidationMap = Object.fromEntries(
      key.split('\n').map((pattern) => [
        pattern,
        (event: SyncEvent) => {
          const keys = latest.current[pattern];
          return keys === undefined ? [] : typeof keys === 'function' ? keys(event) : keys;
        },
      ]),
    );
    return invalidateQueriesOnSync(client, queryClient, proxy);
  }, [client, queryClient, key]);
}
