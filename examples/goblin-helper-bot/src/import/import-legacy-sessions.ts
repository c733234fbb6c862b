import type { RedisClient, TieredStore } from '@hybridstate/core';
import {
  importLegacySessions,
  type LegacyImportReport,
  type Sessions,
} from '@hybridstate/telegram';
import { LEGACY_LAYOUT } from '../state/session-keys.ts';
import type { GoblinSessionDefinitions } from '../state/sessions.ts';

/**
 * Bring the sessions the seed's bot left in Redis (`global`, `lots`, `polls`, `channels`,
 * `{id}-user`, `{id}-chat`, `{from}:{chat}`) into this bot's sessions. Idempotent; values that
 * break a session's schema (a lot priced in GBP) stop the import with an error naming the key.
 *
 * @example
 * ```ts
 * const report = await importGoblinLegacySessions(oldRedis, store, sessions, { dryRun: false });
 * ```
 */
export function importGoblinLegacySessions(
  source: RedisClient,
  store: TieredStore,
  sessions: Sessions<GoblinSessionDefinitions>,
  options: { readonly dryRun?: boolean } = {},
): Promise<LegacyImportReport> {
  return importLegacySessions(source, store, sessions.properties, LEGACY_LAYOUT, options);
}
