import type { RedisClient, TieredStore } from '@hybridstate/core';
import type { LegacyImportReport } from '@hybridstate/telegram';
import type { LotsSession } from '../domain/lot.ts';
import type { LotFamilies } from '../state/lot-families.ts';

/** The seed's key holding every lot (`telegraf-session-redis-upd`, property `lots`). */
export const LEGACY_LOTS_KEY = 'lots';

/** What storing the seed's lots did: the keys written, or why nothing was. */
export type StoredLots = { readonly written: string[] } | { readonly skipped: string };

/**
 * Put the seed's `lots` value (`{ list, nextId }`) into this bot's layout: one key per lot and
 * the index, locked together and written in one commit. Every lot is checked before anything
 * is written: a lot that breaks an invariant (priced in GBP) throws `HS_VALUE_INVALID` naming
 * its key, and nothing is stored. Idempotent: when the index exists, nothing is written.
 *
 * @example
 * ```ts
 * await storeLegacyLots(store, declareLotFamilies(keyspace), { list: { 3: lot }, nextId: 4 });
 * ```
 */
export async function storeLegacyLots(
  store: TieredStore,
  families: LotFamilies,
  lots: LotsSession,
  options: { readonly dryRun?: boolean } = {},
): Promise<StoredLots> {
  const ids = Object.keys(lots.list ?? {}).sort((a, b) => Number(a) - Number(b));
  const indexRef = families.index.key({});
  const lotRefs = ids.map((id) => families.lot.key({ lotId: id }));
  const held = await store.lock([indexRef, ...lotRefs]);
  if (held.get(indexRef) !== undefined) {
    await held.release();
    return { skipped: `${indexRef.key} already exists (imported before, or newer data)` };
  }
  const top = Math.max(0, ...ids.map(Number).filter(Number.isSafeInteger));
  const index = { ids, nextId: Math.max(Number(lots.nextId) || 1, top + 1) };
  const changes = [
    ...lotRefs.map((ref, i) => ({ ref, value: lots.list[ids[i]!] })),
    { ref: indexRef, value: index },
  ];
  if (options.dryRun === true) {
    await held.release();
  } else {
    await held.commit(changes);
  }
  return { written: changes.map((c) => c.ref.key) };
}

/**
 * Import the seed bot's `lots` key from its Redis with {@link storeLegacyLots}, adding what was
 * done (or why not) to `report`. A missing key adds nothing; corrupt JSON is skipped with the
 * reason, never imported as empty.
 */
export async function importLegacyLots(
  source: RedisClient,
  store: TieredStore,
  families: LotFamilies,
  report: LegacyImportReport,
): Promise<void> {
  const text = await source.get(LEGACY_LOTS_KEY);
  if (text === null) return;
  const from = LEGACY_LOTS_KEY;
  let value: LotsSession;
  try {
    value = JSON.parse(text) as LotsSession;
  } catch {
    return void report.skipped.push({
      from,
      reason: 'not valid JSON: left in place, not imported',
    });
  }
  if (
    typeof value?.list !== 'object' ||
    value.list === null ||
    Object.keys(value.list).length === 0
  )
    return void report.skipped.push({ from, reason: 'no lots in it' });
  const stored = await storeLegacyLots(store, families, value, { dryRun: report.dryRun });
  if ('skipped' in stored) return void report.skipped.push({ from, reason: stored.skipped });
  for (const to of stored.written) report.imported.push({ from, to });
}
