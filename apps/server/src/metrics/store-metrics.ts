import type { StoreHealth, StoreObserver, TieredStore } from '@hybridstate/core';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { METRIC_NAMES as N } from './metric-names.ts';

/** Tier calls take from sub-millisecond (Redis) to seconds (a PostgreSQL timeout). */
const DURATION_BUCKETS = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
];
const CIRCUIT_STATES = ['closed', 'open', 'half-open', 'recovering'] as const;

/** The store's metrics: an observer to pass to the store, and `attach` once it exists. */
export interface StoreMetrics {
  /** Pass as the store's `observer` option (tier calls, hits, misses, circuit changes). */
  readonly observer: StoreObserver;
  /** Read health and write-behind figures from `store` at each scrape. */
  attach(store: TieredStore): void;
}

/**
 * Register the tiered store's Prometheus metrics (names in {@link N}) on `registry`. Events
 * are counted as they happen; tier health and write-behind figures are read once per scrape
 * (one `store.health()`: a PING per tier).
 *
 * @example
 * ```ts
 * const metrics = createStoreMetrics(registry);
 * const { store } = await openStore(config, keyspace, logger, { observer: metrics.observer });
 * metrics.attach(store);
 * ```
 */
export function createStoreMetrics(registry: Registry): StoreMetrics {
  const registers = [registry];
  const operations = new Counter({
    name: N.tierOperations,
    help: 'Operations against a tier, by outcome.',
    labelNames: ['tier', 'outcome'],
    registers,
  });
  const duration = new Histogram({
    name: N.tierDuration,
    help: 'Duration of tier operations, in seconds.',
    labelNames: ['tier'],
    buckets: DURATION_BUCKETS,
    registers,
  });
  const hits = new Counter({
    name: N.tierHits,
    help: 'Keys a tier had when read.',
    labelNames: ['tier', 'family'],
    registers,
  });
  const misses = new Counter({
    name: N.tierMisses,
    help: 'Keys a tier did not have when read.',
    labelNames: ['tier', 'family'],
    registers,
  });
  const transitions = new Counter({
    name: N.circuitTransitions,
    help: 'Circuit breaker transitions, by new state.',
    labelNames: ['tier', 'state'],
    registers,
  });
  // Bound children, cached per label set: an increment then skips hashing the labels.
  const ops = bound((tier: string, outcome: string) => operations.labels(tier, outcome));
  const timer = bound((tier: string) => duration.labels(tier));
  const hit = bound((tier: string, family: string) => hits.labels(tier, family));
  const miss = bound((tier: string, family: string) => misses.labels(tier, family));
  const observer: StoreObserver = {
    tierCall: (e) => {
      ops(e.tier, e.outcome).inc();
      timer(e.tier).observe(e.durationMs / 1000);
    },
    tierLookup: (e) => {
      if (e.hits > 0) hit(e.tier, e.family).inc(e.hits);
      if (e.misses > 0) miss(e.tier, e.family).inc(e.misses);
    },
    circuitChange: (e) => transitions.inc({ tier: e.tier, state: e.state }),
  };
  return { observer, attach: (store) => registerScrapedGauges(registry, store) };
}

function registerScrapedGauges(registry: Registry, store: TieredStore): void {
  const registers = [registry];
  const health = onePerScrape(() => store.health());
  const tiers = (h: StoreHealth) =>
    [h.tiers.redis, h.tiers.postgres].filter((t) => t.mode !== 'none');
  new Gauge({
    name: N.tierUp,
    help: '1 while the tier answers its health probe.',
    labelNames: ['tier'],
    registers,
    async collect() {
      for (const t of tiers(await health())) this.set({ tier: t.mode }, t.status === 'up' ? 1 : 0);
    },
  });
  new Gauge({
    name: N.circuitState,
    help: "1 for the tier's current circuit breaker state.",
    labelNames: ['tier', 'state'],
    registers,
    async collect() {
      for (const t of tiers(await health()))
        for (const state of CIRCUIT_STATES)
          this.set({ tier: t.mode, state }, t.circuit === state ? 1 : 0);
    },
  });
  const writeBehind = async () => {
    const wb = (await health()).writeBehind;
    return wb === undefined || 'error' in wb ? undefined : wb;
  };
  const gauge = (
    name: string,
    help: string,
    read: (wb: NonNullable<Awaited<ReturnType<typeof writeBehind>>>) => number,
  ) =>
    new Gauge({
      name,
      help,
      registers,
      async collect() {
        const wb = await writeBehind();
        if (wb !== undefined) this.set(read(wb));
      },
    });
  gauge(N.writeBehindPending, 'Buffered writes not yet in PostgreSQL.', (wb) => wb.pending);
  gauge(
    N.writeBehindLag,
    'Age of the oldest pending buffered write, seconds.',
    (wb) => (wb.oldestPendingAgeMs ?? 0) / 1000,
  );
  gauge(
    N.writeBehindRowsPerSecond,
    'Rows per second of the last flush that wrote any.',
    (wb) => wb.rowsPerSecond,
  );
  gauge(
    N.writeBehindDeadLetters,
    'Buffered writes PostgreSQL refused (dead-letter streams).',
    (wb) => wb.deadLetters,
  );
  gauge(N.writeBehindFailures, 'Consecutive failed flushes.', (wb) => wb.failures);
  new Counter({
    name: N.writeBehindRows,
    help: 'Rows this process flushed to PostgreSQL.',
    registers,
    async collect() {
      const wb = await writeBehind();
      if (wb === undefined) return;
      this.reset();
      this.inc(wb.totalRows);
    },
  });
}

/** Memoize `make` per argument list (label values never contain a newline). */
function bound<A extends string[], R>(make: (...args: A) => R): (...args: A) => R {
  const cache = new Map<string, R>();
  return (...args) => {
    const key = args.join('\n');
    let child = cache.get(key);
    if (child === undefined) {
      child = make(...args);
      cache.set(key, child);
    }
    return child;
  };
}

/** Share one call among the collectors of one scrape: they start together, before it settles. */
function onePerScrape<T>(read: () => Promise<T>): () => Promise<T> {
  let inFlight: Promise<T> | undefined;
  return () => {
    if (inFlight === undefined) {
      const call = read().finally(() => {
        if (inFlight === call) inFlight = undefined;
      });
      inFlight = call;
    }
    return inFlight;
  };
}
