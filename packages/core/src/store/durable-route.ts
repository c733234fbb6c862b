import { isHybridStateError } from '../errors.ts';
import type { KeyRef } from '../keyspace/family.ts';
import type { Logger } from '../logger.ts';
import type { PostgresTier } from '../tiers/postgres-tier.ts';
import type {
  CacheLookup,
  CacheTier,
  StoredEntry,
  TierWrite,
  TierWriteOptions,
  WriteOutcome,
} from '../tiers/tier.ts';
import type { ReplicaWaiter } from './replica-waiter.ts';
import type { Route } from './route.ts';
import { noPostgres, type TierGate } from './tier-gate.ts';

/**
 * `durable` families: PostgreSQL is the truth. A write is acknowledged after the commit,
 * then written through to the cache with the version PostgreSQL assigned, so an older
 * write arriving late can never replace a newer one. While the cache is down, writes also
 * mark the keys stale in PostgreSQL (same statement); their old cache copies are purged
 * before the cache serves reads again.
 *
 * With `replicaAcks`, a cache copy its Redis replicas do not confirm in time is marked stale
 * too: a failover could bring the older copy back. Such a mark is kept until a replica
 * confirms the copy (see `StoreRuntime.purgeStale`), so the purge after the failover evicts
 * the older copy the promoted replica still had.
 */
export class DurableRoute implements Route {
  readonly #cache: TierGate<CacheTier>;
  readonly #pg: TierGate<PostgresTier> | undefined;
  readonly #logger: Logger;
  readonly #replicas: ReplicaWaiter | undefined;

  constructor(
    cache: TierGate<CacheTier>,
    pg: TierGate<PostgresTier> | undefined,
    logger: Logger,
    replicas?: ReplicaWaiter,
  ) {
    this.#cache = cache;
    this.#pg = pg;
    this.#logger = logger;
    this.#replicas = replicas;
  }

  async read(refs: readonly KeyRef[]): Promise<(StoredEntry | null)[]> {
    const cached = await this.#readCache(refs);
    const found = refs.map((_, i): StoredEntry | null => liveOrNull(cached?.[i]));
    // A tombstone in the cache is final: the deletion is newer than anything PostgreSQL may
    // still hold (for buffered families it may not have been flushed yet).
    const missing = refs.flatMap((ref, i) =>
      found[i] === null && !isTombstone(cached?.[i]) ? [{ ref, i }] : [],
    );
    if (cached !== undefined) this.#cache.recordLookups(refs, (i) => cached[i] != null);
    if (missing.length === 0) return found;
    const pg = this.#postgres(refs[0]);
    const rows = await pg.call((tier) => tier.read(missing.map((m) => m.ref)));
    pg.recordLookups(
      missing.map((m) => m.ref),
      (j) => rows[j] != null,
    );
    missing.forEach((m, j) => {
      found[m.i] = rows[j] ?? null;
    });
    // A cache that just failed is not asked again in the same call: one timeout at most.
    if (cached !== undefined)
      await this.#restore(
        missing.map((m) => m.ref),
        rows,
      );
    return found;
  }

  async readAuthoritative(ref: KeyRef): Promise<StoredEntry | null> {
    const [entry] = await this.#postgres(ref).call((pg) => pg.read([ref]));
    return entry ?? null;
  }

  async write(
    entries: readonly TierWrite[],
    options: TierWriteOptions = {},
  ): Promise<WriteOutcome[]> {
    const pg = this.#postgres(entries[0]!.ref);
    const cacheWasUp = this.#cache.isUp;
    const outcomes = await pg.call((tier) =>
      cacheWasUp ? tier.write(entries) : tier.writeMarkingStale(entries),
    );
    await this.#afterCommit(entries, outcomes, cacheWasUp, options);
    return outcomes;
  }

  async compareAndSet(
    entry: Omit<TierWrite, 'version'>,
    expected: number | null,
    options: TierWriteOptions = {},
  ): Promise<WriteOutcome> {
    const cacheWasUp = this.#cache.isUp;
    const outcome = await this.#postgres(entry.ref).call((pg) =>
      pg.compareAndSet(entry, expected, { markStale: !cacheWasUp }),
    );
    if (!outcome.applied && expected !== null) await this.#evictRefused(entry.ref, expected);
    const copies = await this.#afterCommit([entry], [outcome], cacheWasUp, options);
    // A kept lease is still held only if the write-through said so.
    return options.keepLeaseMs === undefined
      ? outcome
      : { ...outcome, lock: copies?.[0]?.lock ?? 'not-held' };
  }

  /**
   * PostgreSQL refused a compare-and-set against `expected`, the version read under the lock.
   * If that version came from a Redis copy older than PostgreSQL's row (a late read-through
   * after an outage can leave one), every retry would read it and be refused the same way:
   * evict the copy when it is still at most `expected`, so the next read goes to PostgreSQL.
   * A newer copy (another holder's write) is left alone.
   */
  async #evictRefused(ref: KeyRef, expected: number): Promise<void> {
    if (!this.#cache.isUp) return;
    await this.#cache
      .call((cache) => cache.evictOlderThan([ref], [expected + 1]))
      .catch((error: unknown) => this.#logger.debug({ err: error }, 'stale copy eviction skipped'));
  }

  /**
   * After a commit: write through when the cache is up now (also when it came back meanwhile:
   * the copy becomes current). When it was up at the start but is down now, nothing marked
   * the keys in the commit, so mark them now.
   */
  async #afterCommit(
    entries: readonly Omit<TierWrite, 'version'>[],
    outcomes: readonly WriteOutcome[],
    cacheWasUp: boolean,
    options: TierWriteOptions = {},
  ): Promise<WriteOutcome[] | undefined> {
    if (this.#cache.isUp) return this.#writeThrough(entries, outcomes, options);
    if (!cacheWasUp) return undefined;
    const applied = entries.flatMap((e, i) =>
      outcomes[i]?.applied ? [{ ref: e.ref, version: outcomes[i].version }] : [],
    );
    if (applied.length > 0)
      await this.#markStale(
        applied.map((a) => a.ref),
        applied.map((a) => a.version),
      );
    return undefined;
  }

  async #readCache(refs: readonly KeyRef[]): Promise<CacheLookup[] | undefined> {
    // While recovering, Redis may still hold copies that went stale during the outage.
    if (!this.#cache.isReadable) return undefined;
    try {
      return await this.#cache.call((cache) => cache.lookup(refs));
    } catch (error) {
      if (isHybridStateError(error, 'HS_TIER_UNAVAILABLE')) return undefined;
      throw error;
    }
  }

  /** Copy rows found in PostgreSQL back into the cache (guarded: never over a newer copy). */
  async #restore(refs: readonly KeyRef[], rows: readonly (StoredEntry | null)[]): Promise<void> {
    if (!this.#cache.isUp) return;
    const now = Date.now();
    const writes = refs.flatMap((ref, i): TierWrite[] => {
      const row = rows[i];
      if (row == null) return [];
      const ttlMs = Math.min(
        ref.family.cacheTtlMs,
        row.expiresAt === null ? Number.POSITIVE_INFINITY : row.expiresAt - now,
      );
      return ttlMs > 0
        ? [{ ref, value: row.value, expiresAt: row.expiresAt, ttlMs, version: row.version }]
        : [];
    });
    if (writes.length === 0) return;
    await this.#cache
      .call((cache) => cache.write(writes))
      .catch((error: unknown) => this.#logger.debug({ err: error }, 'cache restore skipped'));
  }

  async #writeThrough(
    entries: readonly Omit<TierWrite, 'version'>[],
    outcomes: readonly WriteOutcome[],
    options: TierWriteOptions = {},
  ): Promise<WriteOutcome[] | undefined> {
    const applied = entries.flatMap((entry, i) =>
      outcomes[i]?.applied ? [{ ...entry, version: outcomes[i].version }] : [],
    );
    if (applied.length === 0) return undefined;
    try {
      // Never fenced: PostgreSQL already has the value, so the copy must follow it.
      const { unlockToken, keepLeaseMs } = options;
      const unfenced =
        unlockToken === undefined
          ? {}
          : { unlockToken, ...(keepLeaseMs === undefined ? {} : { keepLeaseMs }) };
      const written = await this.#cache.call((cache) => cache.write(applied, unfenced));
      await this.#markUnreplicated(applied);
      return written;
    } catch (error) {
      this.#logger.warn(
        { err: error, keys: applied.length },
        'write-through to the cache failed after the PostgreSQL commit; marking the keys stale',
      );
      await this.#markStale(
        applied.map((e) => e.ref),
        applied.map((e) => e.version),
      );
      return undefined;
    }
  }

  /** With replica acks: mark the copies the replicas did not confirm in time. */
  async #markUnreplicated(applied: readonly TierWrite[]): Promise<void> {
    if (this.#replicas === undefined) return;
    const confirmed = await this.#replicas.confirmed(applied.map((e) => e.ref));
    const unconfirmed = applied.filter((_, i) => !confirmed[i]);
    if (unconfirmed.length > 0)
      await this.#markStale(
        unconfirmed.map((e) => e.ref),
        unconfirmed.map((e) => e.version ?? 0),
      );
  }

  async #markStale(refs: readonly KeyRef[], versions: readonly number[]): Promise<void> {
    try {
      await this.#postgres(refs[0]!).call((pg) => pg.markStale(refs, versions));
    } catch (error) {
      this.#logger.error(
        { err: error, keys: refs.map((r) => r.redisKey) },
        'could not mark stale cache copies; they may be served until their TTL ends',
      );
    }
  }

  #postgres(ref: KeyRef | undefined): TierGate<PostgresTier> {
    if (this.#pg === undefined) throw noPostgres(ref?.family.name ?? '?');
    return this.#pg;
  }
}

function isTombstone(entry: CacheLookup | undefined): boolean {
  return entry != null && 'deleted' in entry;
}

function liveOrNull(entry: CacheLookup | undefined): StoredEntry | null {
  return entry == null || 'deleted' in entry ? null : entry;
}
