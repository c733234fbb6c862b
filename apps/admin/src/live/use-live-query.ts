import { keepPreviousData, type QueryKey, useQuery } from '@tanstack/react-query';
import type { ADMIN_INVALIDATION } from './admin-invalidation.ts';

/** Options of {@link useLiveQuery}. */
export interface LiveQueryOptions<T> {
  /** Starts with a key of {@link ADMIN_INVALIDATION} so sync events reach it. */
  readonly queryKey: QueryKey;
  readonly queryFn: () => Promise<T>;
  /** Poll as well (for data no event announces, such as system health). */
  readonly refetchIntervalMs?: number;
}

/**
 * A query of the panel, kept live by the panel-wide /sync invalidation
 * ({@link ADMIN_INVALIDATION}: its keys on each event, everything on every `connected`); the
 * previous page stays on screen while the next one loads.
 *
 * @example
 * ```ts
 * const buttons = useLiveQuery({ queryKey: ['buttons'], queryFn: () => adminApi.buttons.list() });
 * ```
 */
export function useLiveQuery<T>(options: LiveQueryOptions<T>) {
  return useQuery({
    queryKey: options.queryKey,
    queryFn: options.queryFn,
    placeholderData: keepPreviousData,
    ...(options.refetchIntervalMs === undefined
      ? {}
      : { refetchInterval: options.refetchIntervalMs }),
  });
}
