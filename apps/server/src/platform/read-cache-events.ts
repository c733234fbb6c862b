import type { SyncService } from '@hybridstate/sync';
import { COMPLETED_KEY, TASKS_KEY } from '../services/completion-service.ts';
import { userCacheKey } from '../services/user-service.ts';
import type { ReadCache } from './read-cache.ts';

/**
 * Keep the read cache honest on every instance: each sync event drops what it is about (a
 * user's row on `users.*` / `payouts.*`, task lists on `tasks.*`, an entity's lists on its
 * events), and a bus resync (events may have been lost) drops everything.
 */
export function dropOnEvents(
  sync: SyncService,
  cache: ReadCache,
  entityPrefixes: Record<string, string>,
) {
  const stops = [
    sync.on('users.*', (event) => cache.drop(userCacheKey(event.data.userId))),
    sync.on('payouts.*', (event) => cache.drop(userCacheKey(event.data.userId))),
    sync.on('tasks.*', () => {
      cache.drop(TASKS_KEY);
      cache.drop(COMPLETED_KEY);
    }),
    ...Object.entries(entityPrefixes).map(([domain, prefix]) =>
      sync.on(`${domain}.*`, () => cache.drop(prefix)),
    ),
    sync.onResync(() => cache.clear()),
  ];
  return () => {
    for (const stop of stops) stop();
  };
}
