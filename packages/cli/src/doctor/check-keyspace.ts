import type { RedisClient } from '@hybridstate/core';
import { scanRedisKeys } from '../keys/scan-redis-keys.ts';
import { type CheckResult, check } from './doctor-report.ts';

/** Keys doctor samples; `hybridstate keys` walks them all. */
export const DOCTOR_SCAN_LIMIT = 10_000;

/**
 * The keyspace's TTL policy, observed: every value key in Redis must expire (durable values
 * keep a TTL'd hot copy; ephemeral ones require a TTL), so keys without one are reported,
 * as are seed 000 session keys that were never imported. Samples with SCAN.
 */
export async function checkKeyspace(redis: RedisClient, prefix: string): Promise<CheckResult> {
  const scan = await scanRedisKeys(redis, { prefix, maxKeys: DOCTOR_SCAN_LIMIT });
  const keys = scan.groups.reduce((n, g) => n + g.keys, 0);
  const withoutTtl = scan.groups
    .filter((g) => g.ttl.none > 0)
    .map((g) => `${g.shape} (${g.ttl.none})`);
  const details = {
    scanned: scan.scanned,
    nodes: scan.nodes,
    sampled: scan.truncated,
    keys,
    shapes: scan.groups.map((g) => ({ shape: g.shape, keys: g.keys, withoutTtl: g.ttl.none })),
    legacySessionKeys: scan.legacy.keys,
  };
  const summary = `${keys} keys under {${prefix}:*} in ${scan.groups.length} shapes${scan.truncated ? ` (first ${scan.scanned} keys scanned)` : ''}`;
  if (withoutTtl.length > 0)
    return check(
      'keyspace',
      'warn',
      `${summary}; without a TTL: ${withoutTtl.join(', ')}`,
      details,
      'every Redis copy should expire: write these keys only through the store, whose families set TTLs',
    );
  if (scan.legacy.keys > 0)
    return check(
      'keyspace',
      'warn',
      `${summary}, all with a TTL; ${scan.legacy.keys} seed 000 session keys (global, {id}-user, ...) outside it, ${scan.legacy.withoutTtl} without a TTL`,
      details,
      'import them with `hybridstate import --legacy` (dry run first), then delete them',
    );
  return check('keyspace', 'ok', `${summary}, all with a TTL`, details);
}
