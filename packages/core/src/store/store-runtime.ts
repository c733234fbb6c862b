import type { Family, KeyRef } from '../keyspace/family.ts';
import type { Logger } from '../logger.ts';
import { safeObserver } from '../observe/store-observer.ts';
import type { CircuitState } from '../resilience/circuit-breaker.ts';
import { MemoryTier } from '../tiers/memory-tier.ts';
import type { PostgresTier } from '../tiers/postgres-tier.ts';
import { RedisTier } from '../tiers/redis-tier.ts';
import type { CacheTier, StoredEntry, Tier } from '../tiers/tier.ts';
import { WriteBehindFlusher } from '../write-behind/write-behind-flusher.ts';
import { flushDeadline, resolveWriteBehindOptions } from '../write-behind/write-behind-options.ts';
import { BufferedRoute } from './buffered-route.ts';
import { DurableRoute } from './durable-route.ts';
import { EphemeralRoute } from './ephemeral-route.ts';
import { type ReplicaWaiter, replicaWaiter } from './replica-waiter.ts';
import type { Route } from './route.ts';
import type { ResolvedStoreOptions } from './store-options.ts';
import { noPostgres, TierGate } from './tier-gate.ts';

/** The tiers behind their breakers and the routes over them: the store's moving parts. */
/**
 * How long a stale mark waits for a replica to confirm its key's copy. Past it the mark is
 * dropped, so a master without a replica does not grow the marks forever.
 */
export const UNREPLICATED_MARK_MAX_AGE_MS = 600_000;

export class StoreRuntime {
  readonly cache: TierGate<CacheTier>;
  readonly postgres: TierGate<PostgresTier> | undefined;
  readonly fallback: MemoryTier;
  /** The write-behind flusher, when buffered families have a Redis to buffer in. */
  readonly flusher: WriteBehindFlusher | undefined;
  readonly #durable: DurableRoute;
  readonly #buffered: BufferedRoute | undefined;
  readonly #ephemeral: EphemeralRoute;
  readonly #options: ResolvedStoreOptions;
  readonly #logger: Logger;
  #purging: Promise<number> | undefined;
  readonly #circuits = new Map<string, CircuitState>();
  readonly #replicas: ReplicaWaiter | undefined;
  #topologyPurge: NodeJS.Timeout | undefined;
  #stopWatchingTopology: (() => void) | undefined;

  constructor(options: ResolvedStoreOptions, onCacheRecovered: () => void) {
    this.#options = options;
    this.#logger = options.logger;
    this.fallback = new MemoryTier({ maxEntries: options.fallbackMaxEntries });
    const observer = safeObserver(options.observer);
    this.cache = new TierGate(options.cache, {
      observer,
      name: options.cache.kind === 'redis' ? 'Redis' : 'memory',
      failureThreshold: options.failureThreshold,
      probeDelayMs: options.probeDelayMs,
      onRecover: async () => {
        await this.purgeStale();
        this.fallback.clear();
        onCacheRecovered();
      },
      onStateChange: (state, error) => this.#logCircuit('Redis', state, error),
    });
    this.postgres =
      options.postgres &&
      new TierGate(options.postgres, {
        observer,
        name: 'PostgreSQL',
        failureThreshold: options.failureThreshold,
        probeDelayMs: options.probeDelayMs,
        onStateChange: (state, error) => this.#logCircuit('PostgreSQL', state, error),
      });
    this.#replicas = replicaWaiter(options.cache, options.replicaAcks);
    this.#durable = new DurableRoute(this.cache, this.postgres, this.#logger, this.#replicas);
    this.#ephemeral = new EphemeralRoute(this.cache, this.fallback);
    // Without Redis there is nothing to buffer in: buffered families take the durable route.
    if (options.cache instanceof RedisTier && options.postgres !== undefined) {
      const writeBehind = resolveWriteBehindOptions(options.writeBehind);
      this.flusher = new WriteBehindFlusher(
        options.cache,
        options.postgres,
        options.keyspace,
        this.#logger,
        writeBehind,
      );
      this.#buffered = new BufferedRoute(
        this.cache,
        this.#durable,
        (entry) => flushDeadline(Date.now(), entry.ttlMs, writeBehind),
        this.postgres!,
        this.#logger,
        this.#replicas,
      );
    }
    this.#watchTopology();
  }

  /**
   * With replica acks on a Redis Cluster: when the cluster's nodes change (a failover), purge
   * the stale marks soon, so a promoted replica's older copies of durable keys are evicted
   * within about a second instead of at the next sweep.
   */
  #watchTopology(): void {
    const client = this.#replicas?.tier.client;
    if (client === undefined || !client.isCluster) return;
    const changed = () => this.#schedulePurge(10);
    client.on('+node', changed);
    client.on('-node', changed);
    this.#stopWatchingTopology = () => {
      client.off('+node', changed);
      client.off('-node', changed);
    };
  }

  #schedulePurge(attemptsLeft: number): void {
    clearTimeout(this.#topologyPurge);
    this.#topologyPurge = setTimeout(() => {
      this.purgeStale().catch(() => {
        // The promoted replica may not serve its slots yet: try again shortly.
        if (attemptsLeft > 1) this.#schedulePurge(attemptsLeft - 1);
      });
    }, 500);
    this.#topologyPurge.unref();
  }

  /** The route of a family's durability mode. */
  routeOf(family: Family): Route {
    if (family.durability === 'ephemeral') return this.#ephemeral;
    return family.durability === 'buffered' ? (this.#buffered ?? this.#durable) : this.#durable;
  }

  /**
   * A cache hit answered without I/O (memory tier), `null` for a final miss (ephemeral data
   * lives nowhere else), `undefined` when the routes must decide.
   */
  peek(ref: KeyRef): StoredEntry | null | undefined {
    const tier = this.cache.tier;
    if (tier.peek === undefined || !this.cache.isUp) return undefined;
    const entry = tier.peek(ref);
    if (entry === null && ref.family.durability !== 'ephemeral') return undefined;
    if (this.cache.observesLookups) this.cache.recordLookups([ref], () => entry !== null);
    return entry;
  }

  /** True when the family is buffered and has a Redis to buffer in (Redis holds its newest values). */
  isBufferedInRedis(family: Family): boolean {
    return family.durability === 'buffered' && this.#buffered !== undefined;
  }

  /** True for the route where PostgreSQL is the truth (durable families; buffered ones without Redis). */
  isDurable(route: Route): boolean {
    return route === this.#durable;
  }

  /** Writes go durable first, ephemeral last. */
  order(route: Route): number {
    return route === this.#durable ? 0 : route === this.#buffered ? 1 : 2;
  }

  /** Indexes of `refs` grouped by route, keeping only those `include` accepts. */
  groupByRoute(refs: readonly KeyRef[], include: (index: number) => boolean): Map<Route, number[]> {
    const groups = new Map<Route, number[]>();
    refs.forEach((ref, i) => {
      if (!include(i)) return;
      const route = this.routeOf(ref.family);
      const group = groups.get(route);
      if (group === undefined) groups.set(route, [i]);
      else group.push(i);
    });
    return groups;
  }

  /** The tier that lists a family: PostgreSQL for durable and buffered ones, the cache (or fallback) otherwise. */
  listingTier(family: Family): Tier {
    if (family.durability !== 'ephemeral') {
      if (this.postgres === undefined) throw noPostgres(family.name);
      return this.postgres.tier;
    }
    return this.cache.isUp ? this.cache.tier : this.fallback;
  }

  /**
   * Drop cache copies that went stale while the cache was unreachable (keys marked in
   * PostgreSQL). Runs before a recovered cache serves reads, and periodically.
   */
  purgeStale(): Promise<number> {
    // Each call gets a run that starts after it was asked for (runs are chained, never
    // joined), so marks written by an outage that began during an earlier run are seen.
    const run = (this.#purging ?? Promise.resolve(0)).catch(() => 0).then(() => this.#purge());
    this.#purging = run;
    return run.finally(() => {
      if (this.#purging === run) this.#purging = undefined;
    });
  }

  /** Stop probing. */
  close(): void {
    this.#stopWatchingTopology?.();
    clearTimeout(this.#topologyPurge);
    this.cache.breaker.close();
    this.postgres?.breaker.close();
  }

  async #purge(): Promise<number> {
    const pg = this.#options.postgres;
    if (pg === undefined) return 0;
    const namespaces = new Map(this.#options.keyspace.families().map((f) => [f.namespace, f]));
    let purged = 0;
    for (;;) {
      const marks = await pg.staleMarks([...namespaces.keys()], 1000);
      if (marks.length === 0) break;
      const refs = marks.map((m) => namespaces.get(m.namespace)!.keyFromStorage(m.key));
      await this.#options.cache.evictOlderThan(
        refs,
        marks.map((m) => m.version),
      );
      const settled = await this.#replicatedMarks(marks, refs);
      await pg.clearStaleMarks(settled);
      purged += settled.length;
      // Marks kept for their replicas are looked at again by the next sweep.
      if (settled.length < marks.length) break;
    }
    if (purged > 0)
      this.#logger.info(
        { purged },
        'purged cache copies that went stale while Redis was unreachable',
      );
    return purged;
  }

  /**
   * With replica acks, a mark stays until a replica confirms the key's copy (or for
   * {@link UNREPLICATED_MARK_MAX_AGE_MS}): a failover could still bring back the older copy
   * the replica had, and the purge after it must evict that one. Without them, every mark.
   */
  async #replicatedMarks<M extends { ageMs: number }>(
    marks: readonly M[],
    refs: readonly KeyRef[],
  ): Promise<M[]> {
    if (this.#replicas === undefined) return [...marks];
    const confirmed = await this.#replicas.confirmed(refs);
    return marks.filter((m, i) => confirmed[i] || m.ageMs > UNREPLICATED_MARK_MAX_AGE_MS);
  }

  #logCircuit(tier: string, state: CircuitState, error: unknown): void {
    const previous = this.#circuits.get(tier) ?? 'closed';
    this.#circuits.set(tier, state);
    // One warning per outage: failed probes (half-open -> open) stay quiet.
    if (state === 'open' && previous === 'closed') {
      const fallback =
        tier === 'Redis'
          ? 'durable data is read from and written to PostgreSQL, ephemeral data kept in process memory, key locks taken in PostgreSQL'
          : 'durable writes fail until it returns';
      this.#logger.warn({ err: error, tier, circuit: state }, `${tier} unavailable: ${fallback}`);
    } else if (state === 'closed') {
      this.#logger.info({ tier, circuit: state }, `${tier} is reachable again`);
    }
  }
}
