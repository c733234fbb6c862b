import type { RedisClient, TieredStore } from '@hybridstate/core';
import { importLegacySessions, type LegacyImportReport } from '@hybridstate/telegram';
import type { GoblinBot } from '../bot/create-goblin-bot.ts';
import { LEGACY_LAYOUT } from '../state/session-keys.ts';
import { importLegacyLots, LEGACY_LOTS_KEY } from './import-legacy-lots.ts';

/**
 * Bring the sessions the seed's bot left in Redis (`global`, `lots`, `polls`, `channels`,
 * `{id}-user`, `{id}-chat`, `{from}:{chat}`) into this bot's state: each into its session, and
 * `lots` split into one key per lot and the index. Idempotent; values that break a schema (a
 * lot priced in GBP) stop the import with an error naming the key. Dry run unless
 * `dryRun: false`.
 *
 * @example
 * ```ts
 * const report = await importGoblinLegacySessions(oldRedis, store, goblin, { dryRun: false });
 * ```
 */
export async function importGoblinLegacySessions(
  source: RedisClient,
  store: TieredStore,
  goblin: Pick<GoblinBot, 'sessions' | 'lots'>,
  options: { readonly dryRun?: boolean } = {},
): Promise<LegacyImportReport> {
  const sessions = await importLegacySessions(
    source,
    store,
    goblin.sessions.properties,
    LEGACY_LAYOUT,
    options,
  );
  // The generic import reports `lots` as "not in the layout": it is imported below instead.
  const report: LegacyImportReport = {
    ...sessions,
    skipped: sessions.skipped.filter((s) => s.from !== LEGACY_LOTS_KEY),
  };
  await importLegacyLots(source, store, goblin.lots, report);
  return report;
}
