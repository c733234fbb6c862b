import { useCallback, useEffect, useRef, useSyncExternalStore } from 'react';
import type { SyncEvent } from '../frames.ts';
import type { SyncEventHandler } from '../subscriptions.ts';
import { useSyncClient } from './sync-context.tsx';

/** What {@link useSync} returns. */
export interface UseSync {
  /** Call `handler` for events matching `patterns`; returns the unsubscribe function. */
  subscribe(patterns: string | readonly string[], handler: SyncEventHandler): () => void;
  /** Remove `handler` from `patterns`. */
  unsubscribe(patterns: string | readonly string[], handler?: SyncEventHandler): void;
  /** True while the socket is connected (re-renders on change). */
  readonly connected: boolean;
}

/**
 * Seed 002's `useSync()`: manual subscriptions and the connection state.
 *
 * @example
 * ```tsx
 * const { subscribe, connected } = useSync();
 * useEffect(() => subscribe('scenarios.updated', () => refetch()), [subscribe]);
 * ```
 */
export function useSync(): UseSync {
  const client = useSyncClient();
  const connected = useSyncExternalStore(
    useCallback((notify: () => void) => client.onStatus(notify), [client]),
    () => client.connected,
    () => false,
  );
  const subscribe = useCallback(
    (patterns: string | readonly string[], handler: SyncEventHandler) =>
      client.subscribe(patterns, handler),
    [client],
  );
  const unsubscribe = useCallback(
    (patterns: string | readonly string[], handler?: SyncEventHandler) =>
      client.unsubscribe(patterns, handler),
    [client],
  );
  return { subscribe, unsubscribe, connected };
}

/**
 * Seed 002's `useSyncRefetch(events, refetch)`: call `refetch` when a matching event arrives
 * and on every (re)connection, when events may have been missed.
 *
 * @example
 * ```tsx
 * const { data, refetch } = useQuery({ queryKey: ['scenarios'], queryFn: fetchScenarios });
 * useSyncRefetch(['scenarios.created', 'scenarios.updated', 'scenarios.deleted'], refetch);
 * ```
 */
export function useSyncRefetch(
  patterns: readonly string[],
  refetch: (event: SyncEvent | undefined) => unknown,
): void {
  const client = useSyncClient();
  const latest = useRef(refetch);
  latest.current = refetch;
  const key = patterns.join('\n');
  useEffect(() => {
    const list = key.split('\n');
    const stopEvents = client.subscribe(list, (event) => {
      latest.current(event);
    });
    const stopConnected = client.onConnected(() => {
      latest.current(undefined);
    });
    return () => {
      stopEvents();
      stopConnected();
    };
  }, [client, key]);
}
