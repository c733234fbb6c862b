import type { CircuitState } from '../resilience/circuit-breaker.ts';
import type { TierKind } from '../tiers/tier.ts';

/** The tier an event is about: what plays the cache (`redis`, `memory`) or the truth (`postgres`, `pglite`). */
export type ObservedTier = TierKind;

/** One operation against a tier, through its circuit breaker. */
export interface TierCallEvent {
  readonly tier: ObservedTier;
  /** Wall time of the call, including a fast failure while the circuit is open. */
  readonly durationMs: number;
  /** `ok`, or `error` when the call threw (unavailable, rejected value, timeout...). */
  readonly outcome: 'ok' | 'error';
}

/** How many keys of one read a tier had (`hits`) and did not have (`misses`). */
export interface TierLookupEvent {
  readonly tier: ObservedTier;
  readonly family: string;
  readonly hits: number;
  readonly misses: number;
}

/** A tier's circuit breaker changed state. */
export interface CircuitChangeEvent {
  readonly tier: ObservedTier;
  readonly state: CircuitState;
}

/**
 * The metrics port of the store: plain callbacks, so the core needs no metrics library. An
 * app adapts it to Prometheus (see apps/server's `store-metrics.ts`), OpenTelemetry or logs.
 * Every method is optional and called synchronously on the hot path: keep them to a counter
 * increment. An observer that throws is ignored (see {@link safeObserver}).
 *
 * Write-behind figures (pending, lag, rows, dead letters) are not events: read them when
 * scraped from `store.writeBehindStatus()`.
 *
 * @example
 * ```ts
 * const observer: StoreObserver = {
 *   tierCall: (e) => histogram.observe({ tier: e.tier, outcome: e.outcome }, e.durationMs / 1000),
 * };
 * const store = await createTieredStore({ keyspace, cache, postgres, observer });
 * ```
 */
export interface StoreObserver {
  tierCall?(event: TierCallEvent): void;
  tierLookup?(event: TierLookupEvent): void;
  circuitChange?(event: CircuitChangeEvent): void;
}

/** An observer whose callbacks never throw into the store; `undefined` when there is none. */
export function safeObserver(observer: StoreObserver | undefined): StoreObserver | undefined {
  if (observer === undefined) return undefined;
  const safe: StoreObserver = {};
  for (const name of ['tierCall', 'tierLookup', 'circuitChange'] as const) {
    const callback = observer[name] as ((event: unknown) => void) | undefined;
    if (callback === undefined) continue;
    (safe as Record<string, (event: unknown) => void>)[name] = (event) => {
      try {
        callback.call(observer, event);
      } catch {
        // Metrics must never fail a read or a write.
      }
    };
  }
  return safe;
}
