import type { QueryInvalidationMap } from '@hybridstate/sync-client/react';

/**
 * Which React Query keys each sync event makes stale, for the whole panel. One subscription
 * for the session's lifetime: subscribing per page would send frames on every navigation,
 * and the gateway closes sockets that send too many.
 */
export const ADMIN_INVALIDATION: QueryInvalidationMap = {
  'buttons.*': [['buttons']],
  'scenarios.*': [['scenarios']],
  'tasks.*': [['tasks'], ['completions']],
  // A completion, a ban, a payout request or decision moves balances and held amounts.
  'users.*': [['users'], ['completions']],
  'payouts.*': [['payouts'], ['users']],
  'settings.updated': [['settings']],
  // Every admin change writes an audit entry and publishes some event.
  '*': [['audit']],
};
