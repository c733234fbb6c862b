import { createRedisClient, type TieredStore } from '@hybridstate/core';
import {
  importLegacySessions,
  type LegacyImportReport,
  type LegacyLayout,
} from '@hybridstate/telegram';
import type { CliKeyspace } from '../cli-keyspace.ts';

/** Seed 000's keys -> the session properties `cliKeyspace` declares under the seed's names. */
export const SEED_000_LAYOUT: LegacyLayout = {
  global: 'globalSession',
  lots: 'lots',
  polls: 'polls',
  channels: 'channelsSession',
  user: 'userSession',
  chat: 'chatSession',
  scene: 'scene',
};

/**
 * Import the `telegraf-session-redis` keys a seed 000 bot left in the Redis at `sourceUrl`
 * (SCAN, read-only there) with `@hybridstate/telegram`'s `importLegacySessions`: existing
 * sessions are never overwritten, corrupt values are skipped with the reason.
 */
export async function importLegacyRedis(
  sourceUrl: string,
  store: TieredStore,
  families: CliKeyspace,
  apply: boolean,
): Promise<LegacyImportReport> {
  const source = await createRedisClient(sourceUrl, { commandTimeout: 5000 });
  try {
    return await importLegacySessions(source, store, families.sessions, SEED_000_LAYOUT, {
      dryRun: !apply,
    });
  } finally {
    source.disconnect();
  }
}
