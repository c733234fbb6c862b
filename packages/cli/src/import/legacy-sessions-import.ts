import type { RedisClient, TieredStore } from '@hybridstate/core';
import {
  importLegacySessions,
  type LegacyImportReport,
  type LegacyLayout,
} from '@hybridstate/telegram';
import type { Cluster } from 'ioredis';
import type { CliKeyspace } from '../cli-keyspace.ts';
import { clusterMasters } from '../connect/cluster-masters.ts';

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
 * Import the `telegraf-session-redis` keys a seed 000 bot left in the Redis `open` connects
 * to (SCAN, read-only there; on a Redis Cluster every master) with `@hybridstate/telegram`'s
 * `importLegacySessions`: existing sessions are never overwritten, corrupt values are skipped
 * with the reason.
 */
export async function importLegacyRedis(
  open: () => Promise<RedisClient>,
  store: TieredStore,
  families: CliKeyspace,
  apply: boolean,
): Promise<LegacyImportReport> {
  const source = await open();
  try {
    if (source.isCluster) await clusterMasters(source as Cluster);
    return await importLegacySessions(source, store, families.sessions, SEED_000_LAYOUT, {
      dryRun: !apply,
    });
  } finally {
    source.disconnect();
  }
}
