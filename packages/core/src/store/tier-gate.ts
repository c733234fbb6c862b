import { hsError } from '../errors.ts';
import type { KeyRef } from '../keyspace/family.ts';
import type { StoreObserver } from '../observe/store-observer.ts';
import { CircuitBreaker, type CircuitState } from '../resilience/circuit-breaker.ts';
import type { Tier } from '../tiers/tier.ts';

/** Options of {@link TierGate}. */
export interface TierGateOptions {
  readonly name: string;
  readonly failureThreshold: number;
  readonly probeDelayMs: number;
  readonly onRecover?: () => Promise<void>;
  readonly onStateChange?: (state: CircuitState, error?: unknown) => void;
  /** Told about every call, lookup and state change (metrics). */
  readonly observer?: StoreObserver | undefined;
}

/**
 * A tier behind its circuit breaker: `call` runs an operation, or throws
 * `HS_TIER_UNAVAILABLE` at once while the tier is known to be down.
 */
export class TierGate<T extends Tier> {
  readonly tier: T;
  readonly breaker: CircuitBreaker;
  readonly #observer: StoreObserver | undefined;

  constructor(tier: T, options: TierGateOptions) {
    this.tier = tier;
    this.#observer = options.observer;
    const observed = options.observer?.circuitChange;
    const onStateChange =
      observed === undefined
        ? options.onStateChange
        : (state: CircuitState, error?: unknown) => {
            observed({ tier: tier.kind, state });
            options.onStateChange?.(state, error);
          };
    this.breaker = new CircuitBreaker({
      name: options.name,
      failureThreshold: options.failureThreshold,
      openMs: options.probeDelayMs,
      probe: () => tier.ping(),
      ...(options.onRecover === undefined ? {} : { onRecover: options.onRecover }),
      ...(onStateChange === undefined ? {} : { onStateChange }),
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

  /**
   * Run one operation against the tier through the breaker. With `recover`, a failure (the
   * tier down, or the operation's own error) is handed to it instead of rejecting.
   */
  call<R>(
    operation: (tier: T) => Promise<R>,
    recover?: (error: unknown) => Promise<R>,
  ): Promise<R> {
    if (this.#observer === undefined) return this.breaker.runWith(operation, this.tier, recover);
    const observed = this.#observedCall(operation);
    return recover === undefined ? observed : observed.catch(recover);
  }

  /** True when an observer wants hit/miss counts (callers skip building them otherwise). */
  get observesLookups(): boolean {
    return this.#observer?.tierLookup !== undefined;
  }

  /** Report which keys of a read this tier had, per family (hit/miss metrics). */
  recordLookups(refs: readonly KeyRef[], hit: (index: number) => boolean): void {
    const observe = this.#observer?.tierLookup;
    if (observe === undefined) return;
    if (refs.length === 1) {
      const found = hit(0) ? 1 : 0;
      observe({
        tier: this.tier.kind,
        family: refs[0]!.family.name,
        hits: found,
        misses: 1 - found,
      });
      return;
    }
    const counts = new Map<string, { hits: number; misses: number }>();
    refs.forEach((ref, i) => {
      const count = counts.get(ref.family.name) ?? { hits: 0, misses: 0 };
      counts.set(ref.family.name, count);
      if (hit(i)) count.hits++;
      else count.misses++;
    });
    for (const [family, { hits, misses }] of counts)
      observe({ tier: this.tier.kind, family, hits, misses });
  }

  async #observedCall<R>(operation: (tier: T) => Promise<R>): Promise<R> {
    const started = performance.now();
    let outcome: 'ok' | 'error' = 'error';
    try {
      const result = await this.breaker.run(() => operation(this.tier));
      outcome = 'ok';
      return result;
    } finally {
      const durationMs = performance.now() - started;
      this.#observer?.tierCall?.({ tier: this.tier.kind, durationMs, outcome });
    }
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
