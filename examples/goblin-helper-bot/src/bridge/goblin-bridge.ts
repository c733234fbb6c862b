import type { SqlClient } from '@hybridstate/core';
import { type BridgeFlavor, createBridge } from '@hybridstate/telegram';
import { kickstartersCollection } from './kickstarters-collection.ts';
import { monthsCollection } from './months-collection.ts';
import { settingsCollection } from './settings-collection.ts';
import { usersCollection } from './users-collection.ts';

/** The four collections the seed's bridge hydrated, on the tables of `schema`. */
export function goblinCollections(schema: string) {
  return {
    users: usersCollection(schema),
    months: monthsCollection(schema),
    kickstarters: kickstartersCollection(schema),
    settings: settingsCollection(schema),
  };
}

/** What handlers see: `ctx.users`, `ctx.months`, `ctx.kickstarters`, `ctx.settings`. */
export type GoblinBridgeFlavor = BridgeFlavor<ReturnType<typeof goblinCollections>>;

/**
 * Seed 000's PG bridge on hybridstate: rows load on first use (an update that never touches
 * `ctx.users` costs no query) and only the changed rows are written, in one transaction.
 */
export function goblinBridge(sql: SqlClient, schema: string) {
  return createBridge(sql, goblinCollections(schema));
}
