import type { CircuitState } from '../resilience/circuit-breaker.ts';
import type { Tier } from '../tiers/tier.ts';
import type { WriteBehindStatus } from '../write-behind/write-behind-stats.ts';
import type { Maintenance, MaintenanceStatus } from './maintenance.ts';
import type { StoreRuntime } from './store-runtime.ts';
import type { TierGate } from './tier-gate.ts';

/** Health of one tier. */
export interface TierHealth {
  /** What plays the tier: `redis` or `memory`; `postgres`, `pglite` or `none`. */
  readonly mode: string;
  /** The configuration source that won (`REDIS_URL`, `embedded`...). */
  readonly source: string;
  readonly status: 'up' | 'down';
  readonly circuit: CircuitState;
  /** Round trip of the health probe, when it ran. */
  readonly latencyMs?: number;
  /** Why the tier is down. */
  readonly error?: string;
}

/**
 * Overall health: `ok` when every tier is up, `degraded` when one is down (the store
 * still serves what it can), `down` when no tier that holds data answers.
 */
export interface StoreHealth {
  readonly status: 'ok' | 'degraded' | 'down';
  readonly tiers: { readonly redis: TierHealth; readonly postgres: TierHealth };
  readonly maintenance: MaintenanceStatus;
  /** The write-behind journal, when buffered families buffer in Redis. */
  readonly writeBehind?: WriteBehindStatus | { readonly error: string };
}

/** Probe each tier (through its breaker) and summarise. */
export async function collectHealth(
  runtime: StoreRuntime,
  maintenance: Maintenance,
  sources: { redis?: string; postgres?: string } = {},
): Promise<StoreHealth> {
  const [redis, postgres] = await Promise.all([
    probe(runtime.cache, runtime.cache.tier.kind, sources.redis ?? 'embedded'),
    runtime.postgres === undefined
      ? Promise.resolve<TierHealth>({
          mode: 'none',
          source: 'none',
          status: 'down',
          circuit: 'open',
          error: 'no postgres tier configured',
        })
      : probe(runtime.postgres, runtime.postgres.tier.kind, sources.postgres ?? 'embedded'),
  ]);
  const up = [redis, postgres].filter((t) => t.status === 'up').length;
  const status = up === 2 ? 'ok' : up === 1 ? 'degraded' : 'down';
  const health = { status, tiers: { redis, postgres }, maintenance: maintenance.status } as const;
  if (runtime.flusher === undefined) return health;
  const writeBehind =
    redis.status === 'up'
      ? await runtime.flusher.status().catch((e: Error) => ({ error: e.message }))
      : { error: 'Redis is down: the journal cannot be read' };
  return { ...health, writeBehind };
}

async function probe(gate: TierGate<Tier>, mode: string, source: string): Promise<TierHealth> {
  if (!gate.isReadable) {
    const failure = gate.breaker.lastFailure;
    return {
      mode,
      source,
      status: 'down',
      circuit: gate.breaker.state,
      error: failure?.error instanceof Error ? failure.error.message : 'unreachable',
    };
  }
  try {
    const latencyMs = await gate.call((tier) => tier.ping());
    return {
      mode,
      source,
      status: 'up',
      circuit: gate.breaker.state,
      latencyMs: Math.round(latencyMs * 100) / 100,
    };
  } catch (error) {
    return {
      mode,
      source,
      status: 'down',
      circuit: gate.breaker.state,
      error: error instanceof Error ? error.message : String(error),
    };
  }
}
