/** Which sync events make each admin list stale (the catalog of seed 002). */
export const LIVE_EVENTS = {
  buttons: ['buttons.*'],
  scenarios: ['scenarios.*'],
  tasks: ['tasks.*'],
  // A completion or a payout moves balances and held amounts.
  users: ['users.*', 'payouts.*'],
  payouts: ['payouts.*'],
  settings: ['settings.updated'],
  // Every admin change writes an audit entry and publishes some event.
  audit: ['*'],
  system: [],
} as const satisfies Record<string, readonly string[]>;
