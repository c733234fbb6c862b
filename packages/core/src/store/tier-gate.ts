import { hsError } from '../errors.ts';
import { CircuitBreaker, type CircuitState } from '../resilience/circuit-breaker.ts';
import type { Tier } from '../tiers/tier.ts';

/** Options of {@link TierGate}. */
export interface TierGateOptions {
  readonly name: string;
  readonly failureThreshold: number;
  readonly probeDelayMs: number;
  readonly onRecover?: () => Promise<void>;
  readonly onStateChange?: (state: CircuitState, error?: unknown) => void;
}

/**
 * A tier behind its circuit breaker: `call` runs an operation, or throws
 * `HS_TIER_UNAVAILABLE` at once while the tier is known to be down.
 */
export class TierGate<T extends Tier> {
  readonly tier: T;
  readonly breaker: CircuitBreaker;

  constructor(tier: T, options: TierGateOptions) {
    this.tier = tier;
    this.breaker = new CircuitBreaker({
      name: options.name,
      failureThreshold: options.failureThreshold,
      openMs: options.probeDelayMs,
      probe: () => tier.ping(),
      ...(options.onRecover === undefined ? {} : { onRecover: options.onRecover }),
      ...(options.onStateChange === undefined ? {} : { onStateChange: options.onStateChange }),
    });
  }

  /** True while calls are let through (closed, or recovering). */
  get isUp(): boolean {
    return this.breaker.isWritable;
  }

  /** True when the tier's contents can be trusted for reads (closed: any recovery finished). */
  get isReadable(): boolean {
    return this.breaker.isReadable;
  }

  /** Run one operation against the tier through the breaker. */
  call<R>(operation: (tier: T) => Promise<R>): Promise<R> {
    return this.breaker.run(() => operation(this.tier));
  }
}

/** The error for a durable family used on a store that has no PostgreSQL tier. */
export function noPostgres(family: string) {
  return hsError(
    'HS_CONFIG_INVALID',
    `Family "${family}" is durable but the store has no postgres tier. Pass one to the store.`,
    { family },
  );
}
