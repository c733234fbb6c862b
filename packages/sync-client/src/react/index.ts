/** React bindings of @hybridstate/sync-client: seed 002's useSync and useSyncRefetch. */
export {
  invalidateQueriesOnSync,
  type QueryInvalidationMap,
  type QueryKey,
  queryKeysFor,
  useSyncQueryInvalidation,
} from './query-invalidation.ts';
export { SyncProvider, useSyncClient } from './sync-context.tsx';
export { type UseSync, useSync, useSyncRefetch } from './use-sync.ts';
