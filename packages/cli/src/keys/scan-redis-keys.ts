import type { RedisClient } from '@hybridstate/core';
import type { Cluster, Redis } from 'ioredis';
import { clusterMasters } from '../connect/cluster-masters.ts';
import { isLegacySessionKey, keyOfRedisKey, keyShape, shapeMatches } from './key-shape.ts';
import { addTtl, emptyBuckets, type TtlBuckets } from './ttl-buckets.ts';

/** Keys of one shape in Redis. */
export interface RedisKeyGroup {
  readonly shape: string;
  keys: number;
  /** Bytes of the encoded values (`HSTRLEN d`); tombstones count 0. */
  valueBytes: number;
  tombstones: number;
  readonly ttl: TtlBuckets;
}

/** What one SCAN pass found. */
export interface RedisScan {
  /** Keys SCAN returned (all prefixes, all layouts). */
  readonly scanned: number;
  /** Servers scanned: 1, or every master of a Redis Cluster. */
  readonly nodes: number;
  /** True when `maxKeys` stopped the scan early: the figures are a sample. */
  readonly truncated: boolean;
  readonly groups: RedisKeyGroup[];
  /** Seed 000 session keys (`global`, `{id}-user`, ...) found outside the keyspace. */
  readonly legacy: { keys: number; withoutTtl: number };
}

/** Options of {@link scanRedisKeys}. */
export interface ScanRedisKeysOptions {
  readonly prefix: string;
  /** Only shapes equal to this or starting with `family:`. */
  readonly family?: string | undefined;
  /** Stop after this many keys. @default Infinity */
  readonly maxKeys?: number | undefined;
  /** SCAN COUNT hint. @default 1000 */
  readonly pageSize?: number;
}

/**
 * Walk Redis with SCAN (never KEYS: safe on a production server) and group the keyspace's
 * value keys by shape, with sizes and TTLs read in one pipeline per page. Lock, journal and
 * dead-letter keys (`#...`) are internal and left out. On a Redis Cluster every master is
 * scanned in turn (a SCAN sees one node's keys only).
 *
 * @example
 * ```ts
 * const scan = await scanRedisKeys(redis, { prefix: 'hs', maxKeys: 10_000 });
 * ```
 */
export async function scanRedisKeys(
  redis: RedisClient,
  options: ScanRedisKeysOptions,
): Promise<RedisScan> {
  const groups = new Map<string, RedisKeyGroup>();
  const legacy = { keys: 0, withoutTtl: 0 };
  const maxKeys = options.maxKeys ?? Number.POSITIVE_INFINITY;
  const nodes = redis.isCluster ? await clusterMasters(redis as Cluster) : [redis as Redis];
  let scanned = 0;
  let truncated = false;
  for (const node of nodes) {
    let cursor = '0';
    do {
      const [next, page] = await node.scan(cursor, 'COUNT', options.pageSize ?? 1000);
      cursor = next;
      scanned += page.length;
      // The keys of one node's page all live on that node: one pipeline there.
      await measurePage(node, page, options, groups, legacy);
    } while (cursor !== '0' && scanned < maxKeys);
    truncated = cursor !== '0' || (scanned >= maxKeys && node !== nodes.at(-1));
    if (truncated) break;
  }
  return {
    scanned,
    nodes: nodes.length,
    truncated,
    groups: [...groups.values()].sort((a, b) => a.shape.localeCompare(b.shape)),
    legacy,
  };
}

async function measurePage(
  redis: Redis,
  page: readonly string[],
  options: ScanRedisKeysOptions,
  groups: Map<string, RedisKeyGroup>,
  legacy: { keys: number; withoutTtl: number },
): Promise<void> {
  const ours = page.flatMap((redisKey) => {
    const key = keyOfRedisKey(redisKey, options.prefix);
    if (key === undefined || key.startsWith('#')) return [];
    const shape = keyShape(key);
    return options.family === undefined || shapeMatches(shape, options.family)
      ? [{ redisKey, shape }]
      : [];
  });
  const legacyKeys = options.family === undefined ? page.filter(isLegacySessionKey) : [];
  const pipeline = redis.pipeline();
  for (const { redisKey } of ours) pipeline.pttl(redisKey).hstrlen(redisKey, 'd');
  for (const key of legacyKeys) pipeline.pttl(key);
  const results = (await pipeline.exec()) ?? [];
  ours.forEach(({ shape }, i) => {
    const pttl = Number(results[2 * i]?.[1] ?? -2);
    const bytes = Number(results[2 * i + 1]?.[1] ?? 0);
    if (pttl === -2) return; // expired between SCAN and PTTL
    const group = groups.get(shape) ?? newGroup(shape);
    groups.set(shape, group);
    group.keys++;
    group.valueBytes += bytes;
    if (bytes === 0) group.tombstones++;
    addTtl(group.ttl, pttl);
  });
  legacyKeys.forEach((_, j) => {
    legacy.keys++;
    if (Number(results[2 * ours.length + j]?.[1]) === -1) legacy.withoutTtl++;
  });
}

function newGroup(shape: string): RedisKeyGroup {
  return { shape, keys: 0, valueBytes: 0, tombstones: 0, ttl: emptyBuckets() };
}
