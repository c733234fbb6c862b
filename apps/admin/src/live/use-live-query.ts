import { useSyncRefetch } from '@hybridstate/sync-client/react';
import { keepPreviousData, type QueryKey, useQuery } from '@tanstack/react-query';

/** Options of {@link useLiveQuery}. */
export interface LiveQueryOptions<T> {
  readonly queryKey: QueryKey;
  readonly queryFn: () => Promise<T>;
  /** Sync event patterns that make this data stale (`users.*`, `settings.updated`...). */
  readonly events: readonly string[];
  /** Poll as well (for data no event announces, such as system health). */
  readonly refetchIntervalMs?: number;
}

/**
 * A React Query query kept live by /sync (seed 002's `useSyncRefetch`): refetched when a
 * matching event arrives and on every `connected`, since events missed while offline are lost.
 *
 * @example
 * ```ts
 * const buttons = useLiveQuery({ queryKey: ['buttons'], queryFn: adminApi.buttons.list, events: ['buttons.*'] });
 * ```
 */
export function useLiveQuery<T>(options: LiveQueryOptions<T>) {
  const query = useQuery({
    queryKey: options.queryKey,
    queryFn: options.queryFn,
    placeholderData: keepPreviousData,
    ...(options.refetchIntervalMs === undefined
      ? {}
      : { refetchInterval: options.refetchIntervalMs }),
  });
  useSyncRefetch(options.events, () => void query.refetch());
  return query;
}
