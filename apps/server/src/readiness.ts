import type { StoreHealth } from '@hybridstate/core';

/** The tiers whose outage makes the instance not ready. */
export type RequiredTier = 'redis' | 'postgres';

/**
 * By default only PostgreSQL, the truth: while Redis is down the store keeps serving from
 * PostgreSQL (seed 004: "this is normal"), and every instance shares that Redis, so failing
 * readiness on it would take the whole fleet out of the load balancer at once.
 */
export const DEFAULT_REQUIRED_TIERS: readonly RequiredTier[] = ['postgres'];

/** What `GET /ready` answers. */
export interface Readiness {
  readonly ready: boolean;
  /** Required tiers that are down. */
  readonly down: RequiredTier[];
  readonly tiers: Record<RequiredTier, 'up' | 'down'>;
}

/** Ready when every required tier is up. */
export function readiness(health: StoreHealth, required: readonly RequiredTier[]): Readiness {
  const tiers = { redis: health.tiers.redis.status, postgres: health.tiers.postgres.status };
  const down = required.filter((tier) => tiers[tier] !== 'up');
  return { ready: down.length === 0, down, tiers };
}

/** Parse `READY_REQUIRED_TIERS` (`postgres`, `redis,postgres`, or empty for none). */
export function parseRequiredTiers(value: string | undefined): readonly RequiredTier[] {
  if (value === undefined) return DEFAULT_REQUIRED_TIERS;
  const tiers = value
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');
  for (const tier of tiers)
    if (tier !== 'redis' && tier !== 'postgres')
      throw new Error(
        `READY_REQUIRED_TIERS lists "${tier}"; use redis, postgres, or both separated by a comma.`,
      );
  return tiers as RequiredTier[];
}
