import { randomUUID } from 'node:crypto';
import { hsError, isHybridStateError } from '../errors.ts';
import type { KeyRef } from '../keyspace/family.ts';
import type { Logger } from '../logger.ts';
import type { KeyedMutex } from '../resilience/keyed-mutex.ts';
import { Semaphore } from '../resilience/semaphore.ts';
import type { CacheLookup, StoredEntry } from '../tiers/tier.ts';
import { type KeptLease, KeptLeases } from './kept-leases.ts';
import { LOCK_DEFAULTS, type LockOptions, lockSettings } from './lock-options.ts';
import { LockedEntries } from './locked-entries.ts';
import type { StoreRuntime } from './store-runtime.ts';
import type { StoreWriter } from './store-writer.ts';

/** A lease kept alive while its holder works. */
export interface HeldLease {
  readonly refs: readonly KeyRef[];
  readonly token: string;
  readonly leaseMs: number;
  renewAt: number;
}

/** How often held leases are looked at; each is renewed once a third of its lease has passed. */
const RENEW_TICK_MS = 250;

/**
 * Takes keys' locks: a per-key queue inside the process, then a lease lock in Redis (or the
 * memory tier) shared by every process. The Redis lock (`SET NX PX`) and the read are sent
 * back to back, so an uncontended lock-and-read is one round trip. While Redis is down the
 * process still serializes its own updates, and says once that others are not fenced.
 */
export class KeyLocker {
  readonly #runtime: StoreRuntime;
  readonly #mutex: KeyedMutex;
  readonly #writer: StoreWriter;
  readonly #logger: Logger;
  #warned = false;
  /** Holders of PostgreSQL advisory locks at once (see #acquireWithoutRedis). */
  readonly #postgresSlots: Semaphore;
  /** Leases held by this process, renewed by one shared timer (not one timer per lock). */
  readonly #held = new Set<HeldLease>();
  #ticker: NodeJS.Timeout | undefined;
  /** Leases kept between locks (`keepMs`), with this process's copies of their keys. */
  readonly kept: KeptLeases;

  constructor(
    runtime: StoreRuntime,
    mutex: KeyedMutex,
    writer: StoreWriter,
    logger: Logger,
    postgresLockSlots: number,
  ) {
    this.#runtime = runtime;
    this.#mutex = mutex;
    this.#writer = writer;
    this.#logger = logger;
    this.#postgresSlots = new Semaphore(postgresLockSlots);
    this.kept = new KeptLeases(runtime, logger);
  }

  /**
   * The locks of `keys` at once, without waiting or any I/O, when this process keeps every
   * one of them idle with a copy it can serve and nobody here waits for them; `undefined`
   * otherwise (then {@link lock}). The common case of an active session key.
   */
  tryTakeKept(keys: readonly KeyRef[], options: LockOptions = {}): LockedEntries | undefined {
    const { leaseMs, keepMs } = lockSettings(options);
    if (keepMs === 0 || this.kept.size === 0) return undefined;
    const refs = uniqueSorted(keys);
    const releaseLocal = this.#tryAcquireAll(refs);
    if (releaseLocal === undefined) return undefined;
    const leases = this.kept.take(refs);
    if (leases === undefined) return void releaseLocal();
    return this.#keptEntries(refs, leases, releaseLocal, leaseMs);
  }

  /** This process's mutexes of `refs` at once, without waiting; `undefined` if one is held. */
  #tryAcquireAll(refs: readonly KeyRef[]): (() => void) | undefined {
    // One key (a session): its own release, no list to build.
    if (refs.length === 1) return this.#mutex.tryAcquire(refs[0]!.redisKey);
    const releases: (() => void)[] = [];
    const releaseLocal = releaseAll(releases);
    for (const ref of refs) {
      const release = this.#mutex.tryAcquire(ref.redisKey);
      if (release === undefined) return void releaseLocal();
      releases.push(release);
    }
    return releaseLocal;
  }

  /** Locked entries served from this process's kept leases and their copies. */
  #keptEntries(
    refs: readonly KeyRef[],
    leases: readonly KeptLease[],
    releaseLocal: () => Promise<void> | void,
    leaseMs: number,
  ): LockedEntries {
    return new LockedEntries({
      refs,
      locker: this,
      writer: this.#writer,
      releaseLocal,
      leaseMs,
      entries: leases.map((lease) => lease.entry),
      token: this.kept.token,
      redisLocked: true,
      kept: leases,
    });
  }

  async lock(keys: readonly KeyRef[], options: LockOptions = {}): Promise<LockedEntries> {
    const { leaseMs, keepMs } = lockSettings(options);
    const deadline = Date.now() + (options.waitMs ?? LOCK_DEFAULTS.waitMs);
    const refs = uniqueSorted(keys);
    const releases: (() => void)[] = [];
    let releasePostgres: (() => Promise<void>) | undefined;
    const releaseLocal = async () => {
      const postgres = releasePostgres;
      releasePostgres = undefined;
      try {
        await postgres?.();
      } finally {
        for (const release of releases.splice(0)) release();
      }
    };
    try {
      // Sorted order: two updates needing the same keys can never wait on each other in a cycle.
      for (const ref of refs)
        releases.push(
          await this.#mutex.acquire(ref.redisKey, deadline - Date.now(), () => this.#timeout(refs)),
        );
      const writer = this.#writer;
      const leases = keepMs > 0 ? this.kept.take(refs) : undefined;
      if (leases !== undefined) return this.#keptEntries(refs, leases, releaseLocal, leaseMs);
      // Kept leases of these keys are given up first by a lock that does not keep them.
      if (keepMs === 0) await this.kept.giveUp(refs);
      const token = keepMs > 0 ? this.kept.token : randomUUID();
      const taken = await this.#acquire(refs, token, leaseMs, deadline);
      releasePostgres = taken.release;
      const kept: KeptLease[] | undefined =
        keepMs > 0 && taken.redisLocked
          ? this.kept.keep(refs, taken.entries, { leaseMs, keepMs }, taken.sentAt)
          : undefined;
      const { entries, redisLocked } = taken;
      return new LockedEntries({
        refs,
        locker: this,
        writer,
        releaseLocal,
        leaseMs,
        entries,
        token,
        redisLocked,
        kept,
      });
    } catch (error) {
      await releaseLocal();
      throw error;
    }
  }

  /** Keep a lease alive until {@link untrack}. */
  track(lease: HeldLease): void {
    this.#held.add(lease);
    if (this.#ticker === undefined) {
      this.#ticker = setInterval(() => this.#renewDue(), RENEW_TICK_MS);
      this.#ticker.unref();
    }
  }

  /** Stop renewing a lease (its holder committed or released). */
  untrack(lease: HeldLease): void {
    this.#held.delete(lease);
    if (this.#held.size === 0 && this.#ticker !== undefined) {
      clearInterval(this.#ticker);
      this.#ticker = undefined;
    }
  }

  #renewDue(): void {
    const now = Date.now();
    for (const lease of this.#held) {
      if (lease.renewAt > now) continue;
      lease.renewAt = now + lease.leaseMs / 3;
      void this.renew(lease.refs, lease.token, lease.leaseMs);
    }
  }

  /** Extend the leases still held by `token` (called by the renewal timer). */
  async renew(refs: readonly KeyRef[], token: string, leaseMs: number): Promise<void> {
    await this.#runtime.cache
      .call((cache) => cache.renewLocks(refs, token, leaseMs))
      .catch(() => undefined);
  }

  /** Release locks still held by `token`. */
  async unlock(refs: readonly KeyRef[], token: string): Promise<void> {
    if (refs.length > 0)
      await this.#runtime.cache.call((cache) => cache.unlock(refs, token)).catch(() => undefined);
  }

  async #acquire(
    refs: readonly KeyRef[],
    token: string,
    leaseMs: number,
    deadline: number,
  ): Promise<{
    entries: (StoredEntry | null)[];
    redisLocked: boolean;
    release?: () => Promise<void>;
    /** When the winning lock command was sent (a kept lease is valid from then). */
    sentAt: number;
  }> {
    for (let attempt = 0; ; attempt++) {
      const cache = this.#runtime.cache;
      const sentAt = Date.now();
      if (!cache.isUp) return { ...(await this.#acquireWithoutRedis(refs, deadline)), sentAt };
      // While Redis recovers, its copies may still be stale: buffered keys (Redis is their truth)
      // wait for the end of the recovery; the others lock in Redis and read through their route.
      const readable = cache.isReadable;
      if (readable || !refs.some((ref) => this.#runtime.isBufferedInRedis(ref.family))) {
        let taken: { acquired: boolean; lookup: CacheLookup }[] | undefined;
        try {
          taken = await cache.call((tier) =>
            readable
              ? tier.tryLockAndLookup(refs, token, leaseMs)
              : tier
                  .tryLock(refs, token, leaseMs)
                  .then((ok) => ok.map((acquired) => ({ acquired, lookup: null }))),
          );
        } catch (error) {
          if (!isHybridStateError(error, 'HS_TIER_UNAVAILABLE')) throw error;
          // The script may have run before the reply was lost: release what this token holds.
          await this.unlock(refs, token);
          if (Date.now() >= deadline) throw error;
        }
        if (taken?.every((t) => t.acquired)) {
          try {
            return {
              entries: readable ? await this.#complete(refs, taken) : await this.#read(refs),
              redisLocked: true,
              sentAt,
            };
          } catch (error) {
            await this.unlock(refs, token);
            throw error;
          }
        }
        if (taken !== undefined)
          await this.unlock(
            refs.filter((_, i) => taken[i]!.acquired),
            token,
          );
      }
      if (Date.now() >= deadline) throw this.#timeout(refs);
      await new Promise((resolve) =>
        setTimeout(resolve, Math.min(50, 2 + attempt * 2) * (0.5 + Math.random())),
      );
    }
  }

  /**
   * Redis is down: lock the keys with PostgreSQL advisory locks instead (cross-process), or in
   * this process only when there is no PostgreSQL tier. Writes under such a lock are
   * compare-and-sets, so the moment the two kinds of lock overlap is refused, never lost.
   */
  async #acquireWithoutRedis(
    refs: readonly KeyRef[],
    deadline: number,
  ): Promise<{
    entries: (StoredEntry | null)[];
    redisLocked: false;
    release?: () => Promise<void>;
  }> {
    const buffered = refs.filter((ref) => this.#runtime.isBufferedInRedis(ref.family));
    if (buffered.length > 0) {
      // Redis holds the newest values of buffered keys: PostgreSQL may lag unflushed entries.
      throw hsError(
        'HS_TIER_UNAVAILABLE',
        `Locking buffered key "${buffered[0]!.key}" needs Redis, which holds its newest value, and Redis is unavailable. Retry when it is back.`,
        { tier: 'redis', key: buffered[0]!.key },
      );
    }
    this.#warnOnce();
    const postgres = this.#runtime.postgres;
    if (postgres === undefined) return { entries: await this.#read(refs), redisLocked: false };
    // Each holder keeps a pooled connection for its advisory locks and needs another one for
    // its reads and writes: cap the holders so that the pool can never be exhausted by them.
    const releaseSlot = await this.#postgresSlots.acquire(deadline - Date.now(), () =>
      this.#timeout(refs),
    );
    try {
      const unlockKeys = await postgres.call((pg) =>
        pg.lockKeys(refs, Math.max(1, deadline - Date.now())),
      );
      const release = async () => {
        try {
          await unlockKeys();
        } finally {
          releaseSlot();
        }
      };
      try {
        return { entries: await this.#read(refs), redisLocked: false, release };
      } catch (error) {
        await release();
        throw error;
      }
    } catch (error) {
      releaseSlot();
      throw error;
    }
  }

  /**
   * Entries from the lock-and-read: live ones as read, tombstones as absent; a cache miss is
   * final for ephemeral keys, and read through the route (PostgreSQL) for the others.
   */
  async #complete(
    refs: readonly KeyRef[],
    taken: readonly { lookup: CacheLookup }[],
  ): Promise<(StoredEntry | null)[]> {
    const entries = taken.map(({ lookup }) =>
      lookup === null || 'deleted' in lookup ? null : lookup,
    );
    const missing = refs.flatMap((ref, i) =>
      taken[i]!.lookup === null && ref.family.durability !== 'ephemeral' ? [i] : [],
    );
    if (missing.length === 0) return entries;
    const found = await this.#read(missing.map((i) => refs[i]!));
    missing.forEach((index, j) => {
      entries[index] = found[j] ?? null;
    });
    return entries;
  }

  /** Read through the routes, never from the L1: a held key must be read where it is true. */
  async #read(refs: readonly KeyRef[]): Promise<(StoredEntry | null)[]> {
    const entries: (StoredEntry | null)[] = refs.map(() => null);
    await Promise.all(
      [...this.#runtime.groupByRoute(refs, () => true)].map(async ([route, indexes]) => {
        const found = await route.read(indexes.map((i) => refs[i]!));
        indexes.forEach((index, j) => {
          entries[index] = found[j] ?? null;
        });
      }),
    );
    return entries;
  }

  #warnOnce(): void {
    if (this.#warned) return;
    this.#warned = true;
    // The circuit breaker already warned once for this outage; this is the detail.
    this.#logger.debug(
      {},
      'Redis is down: key locks are taken in PostgreSQL (advisory locks) until it returns',
    );
  }

  #timeout(refs: readonly KeyRef[]) {
    const keys = refs.map((r) => r.key);
    return hsError(
      'HS_LOCK_TIMEOUT',
      `Could not lock ${keys.map((k) => `"${k}"`).join(', ')} in time: another holder kept it. Raise waitMs, or make the work under the lock shorter.`,
      { keys },
    );
  }
}

/** Each key once, in one order for every caller (no two lockers wait on each other in a cycle). */
function uniqueSorted(keys: readonly KeyRef[]): readonly KeyRef[] {
  if (keys.length === 1) return keys;
  return [...new Map(keys.map((r) => [r.redisKey, r])).values()].sort((a, b) =>
    a.redisKey < b.redisKey ? -1 : 1,
  );
}

/** One function that calls every release of `releases` once. */
function releaseAll(releases: (() => void)[]): () => void {
  return () => {
    for (const release of releases.splice(0)) release();
  };
}
