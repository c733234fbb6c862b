import { decodeValue } from '../codec/codec.ts';
import { hsError } from '../errors.ts';
import type { Family, KeyRef } from '../keyspace/family.ts';
import { silentLogger } from '../logger.ts';
import { KeyedMutex } from '../resilience/keyed-mutex.ts';
import type { StoredEntry } from '../tiers/tier.ts';
import type { WriteBehindStatus } from '../write-behind/write-behind-stats.ts';
import { KeyLocker } from './key-locker.ts';
import { L1BusLink } from './l1-bus-link.ts';
import { L1Cache } from './l1-cache.ts';
import type { LockOptions } from './lock-options.ts';
import type { LockedEntries } from './locked-entries.ts';
import { Maintenance } from './maintenance.ts';
import { collectHealth, type StoreHealth } from './store-health.ts';
import {
  type ResolvedStoreOptions,
  resolveStoreOptions,
  type TieredStoreOptions,
} from './store-options.ts';
import { StoreRuntime } from './store-runtime.ts';
import { StoreWriter } from './store-writer.ts';

/** The value type a key holds. */
export type ValueOf<R> = R extends KeyRef<infer V> ? V : never;

/** Per-write options. */
export interface WriteOptions {
  /** Lifetime of this value, overriding the family's `ttlMs`. */
  readonly ttlMs?: number;
}

/** One item of `setMany`. */
export interface SetItem<V = unknown> extends WriteOptions {
  readonly ref: KeyRef<V>;
  readonly value: V;
}

/**
 * Reads and writes values across memory (optional L1), Redis and PostgreSQL, each family in
 * its durability mode. Missing values are `undefined` (`null` is a value like any other).
 *
 * @example
 * ```ts
 * const store = await createTieredStore({ keyspace, cache: new RedisTier(redis), postgres });
 * await store.set(phone.key({ userId: 42 }), '+79991234567');
 * await store.update(counter.key({ userId: 42 }), (n = 0) => n + 1);
 * ```
 */
export class TieredStore {
  readonly options: Readonly<ResolvedStoreOptions>;
  readonly #runtime: StoreRuntime;
  readonly #l1: L1Cache;
  readonly #mutex = new KeyedMutex();
  readonly #maintenance: Maintenance;
  readonly #writer: StoreWriter;
  readonly #locker: KeyLocker;
  readonly #l1Link: L1BusLink | undefined;
  #closed = false;

  constructor(options: TieredStoreOptions) {
    this.options = resolveStoreOptions(options, options.logger ?? silentLogger);
    this.#l1 = new L1Cache();
    this.#l1Link =
      options.bus &&
      new L1BusLink(this.#l1, options.bus, this.options.keyspace, this.options.logger);
    this.#runtime = new StoreRuntime(this.options, () => this.#l1.clear());
    this.#maintenance = new Maintenance(this.options, this.#runtime);
    this.#writer = new StoreWriter(this.#runtime, this.#l1, this.options);
    this.#locker = new KeyLocker(
      this.#runtime,
      this.#mutex,
      this.#writer,
      this.options.logger,
      this.options.postgresLockSlots,
    );
  }

  /**
   * Migrate PostgreSQL, purge cache copies left stale by an earlier outage, start the sweeper
   * and the write-behind flusher.
   */
  async start(): Promise<this> {
    await this.#maintenance.start();
    this.#runtime.flusher?.start();
    return this;
  }

  /** The value at `ref`, or `undefined`. */
  async get<V>(ref: KeyRef<V>): Promise<V | undefined> {
    this.#assertRef(ref);
    const entry = this.#l1.peek(ref) ?? this.#runtime.peek(ref) ?? (await this.#readThrough(ref));
    return entry === null ? undefined : (decodeValue(entry.value, ref.redisKey) as V);
  }

  /** Values of several keys (any families) in one round trip per tier, in order. */
  async getMany<const R extends readonly KeyRef<unknown>[]>(
    refs: R,
  ): Promise<{ [I in keyof R]: ValueOf<R[I]> | undefined }> {
    this.#assertOpen(refs);
    // undefined: not known yet, ask the family's route; null: known to be absent.
    const entries = refs.map(
      (ref): StoredEntry | null | undefined => this.#l1.peek(ref) ?? this.#runtime.peek(ref),
    );
    const byRoute = this.#runtime.groupByRoute(refs, (i) => entries[i] === undefined);
    await Promise.all(
      [...byRoute].map(async ([route, indexes]) => {
        const found = await route.read(indexes.map((i) => refs[i]!));
        indexes.forEach((index, j) => {
          entries[index] = found[j] ?? null;
          this.#l1.remember(refs[index]!, found[j] ?? null);
        });
      }),
    );
    return entries.map((entry, i) =>
      entry == null ? undefined : decodeValue(entry.value, refs[i]!.redisKey),
    ) as never;
  }

  /** Store a value. Durable families resolve after the PostgreSQL commit. */
  async set<V>(ref: KeyRef<V>, value: V, options: WriteOptions = {}): Promise<void> {
    await this.setMany([{ ref, value, ...options }]);
  }

  /** Store several values; every value is checked before anything is written. */
  async setMany(items: readonly SetItem<unknown>[]): Promise<void> {
    const refs = items.map((item) => item.ref);
    this.#assertOpen(refs);
    await this.#writeAround(refs, () => this.#writer.write(this.#writer.prepare(items)));
  }

  /** Delete a key (a tombstone keeps its version for `tombstoneTtlMs`). */
  async delete(ref: KeyRef): Promise<void> {
    await this.deleteMany([ref]);
  }

  /** Delete several keys. */
  async deleteMany(refs: readonly KeyRef[]): Promise<void> {
    this.#assertOpen(refs);
    await this.#writeAround(refs, () => this.#writer.write(this.#writer.tombstones(refs)));
  }

  /**
   * Read-modify-write that never loses a concurrent update, in one process or across many:
   * calls for one key are queued in this process, and the write is a compare-and-set on the
   * authoritative tier, retried on a lost race. `fn` may run more than once, so keep it free
   * of side effects. Returning `undefined` from `fn` writes nothing.
   */
  async update<V>(
    ref: KeyRef<V>,
    fn: (current: V | undefined) => V | undefined | Promise<V | undefined>,
    options: WriteOptions = {},
  ): Promise<V | undefined> {
    this.#assertOpen([ref]);
    return this.#writeAround([ref], () => this.#update(ref, fn, options));
  }

  async #update<V>(
    ref: KeyRef<V>,
    fn: (current: V | undefined) => V | undefined | Promise<V | undefined>,
    options: WriteOptions,
  ): Promise<V | undefined> {
    return this.#mutex.run(ref.redisKey, async () => {
      const route = this.#runtime.routeOf(ref.family);
      let entry = this.#l1.peek(ref) ?? (await route.read([ref]))[0] ?? null;
      for (let attempt = 1; attempt <= this.options.updateMaxAttempts; attempt++) {
        const current = entry === null ? undefined : (decodeValue(entry.value, ref.redisKey) as V);
        const next = await fn(current);
        if (next === undefined) return current;
        const [write] = this.#writer.prepare([{ ref, value: next, ttlMs: options.ttlMs }]);
        const outcome = await route.compareAndSet(write!, entry?.version ?? null);
        if (outcome.applied) {
          this.#l1.remember(ref, {
            value: write!.value!,
            version: outcome.version,
            expiresAt: write!.expiresAt,
          });
          this.#l1.changed([{ ref, version: outcome.version }]);
          return next;
        }
        this.#l1.forget(ref);
        entry = await route.readAuthoritative(ref);
        await backoff(attempt);
      }
      throw hsError(
        'HS_UPDATE_CONFLICT',
        `update("${ref.key}") lost the race ${this.options.updateMaxAttempts} times; the key is too contended. Retry later or raise updateMaxAttempts.`,
        { key: ref.key },
      );
    });
  }

  /**
   * Lock keys (any families) for a read-modify-write that cannot be retried, such as a bot
   * handler that sends messages: updates of one key are serialized within the process and
   * across processes, different keys run in parallel. Uncontended it costs one Redis round
   * trip to lock and read, and one to write and unlock. Always `commit` or `release`.
   *
   * @example
   * ```ts
   * const held = await store.lock([counter.key({ id: 1 })]);
   * try { await held.commit([{ ref, value: (held.get(ref) ?? 0) + 1 }]); }
   * catch (error) { await held.release(); throw error; }
   * ```
   */
  async lock(refs: readonly KeyRef[], options: LockOptions = {}): Promise<LockedEntries> {
    this.#assertOpen(refs);
    return this.#locker.lock(refs, options);
  }

  /**
   * The locks of `refs` at once, with no I/O and no waiting, when this process keeps all of
   * them (`LockOptions.keepMs`) idle with copies it can serve; `undefined` otherwise: then call
   * {@link lock}. The held entries behave exactly as `lock`'s (fenced, batched commit).
   *
   * @example
   * ```ts
   * const held = store.tryLockKept(refs, { keepMs: 2000 }) ?? (await store.lock(refs, { keepMs: 2000 }));
   * ```
   */
  tryLockKept(refs: readonly KeyRef[], options: LockOptions = {}): LockedEntries | undefined {
    this.#assertOpen(refs);
    return this.#locker.tryTakeKept(refs, options);
  }

  /** Milliseconds until the value expires; `null` when it never does; `undefined` when absent. */
  async ttl(ref: KeyRef): Promise<number | null | undefined> {
    this.#assertOpen([ref]);
    const [entry] = await this.#runtime.routeOf(ref.family).read([ref]);
    if (entry == null) return undefined;
    return entry.expiresAt === null ? null : Math.max(0, entry.expiresAt - Date.now());
  }

  /**
   * Live keys of a family, page by page (SCAN on Redis, the primary key on PostgreSQL). For a
   * buffered family the journal is flushed first, so PostgreSQL lists every key.
   */
  async *keys(family: Family): AsyncIterable<KeyRef[]> {
    this.#assertFamily(family);
    if (family.durability === 'buffered') await this.flush();
    yield* this.#runtime.listingTier(family).scan(family);
  }

  /**
   * Copy every pending buffered write to PostgreSQL now; resolves with how many were written.
   * Nothing to do (0) without Redis: buffered families are then written straight through.
   */
  async flush(): Promise<number> {
    return (await this.#runtime.flusher?.flush()) ?? 0;
  }

  /** The write-behind journal: pending entries, lag, last flush, dead letters. */
  async writeBehindStatus(): Promise<WriteBehindStatus | undefined> {
    return this.#runtime.flusher?.status();
  }

  /** Number of live keys in a family: the primary-key index on PostgreSQL, SCAN on Redis. */
  async count(family: Family): Promise<number> {
    this.#assertFamily(family);
    const postgres = this.#runtime.postgres;
    if (family.durability !== 'ephemeral' && postgres !== undefined) {
      if (family.durability === 'buffered') await this.flush();
      return postgres.call((pg) => pg.count(family));
    }
    let n = 0;
    for await (const page of this.keys(family)) n += page.length;
    return n;
  }

  /** Delete every key of a family. */
  async clear(family: Family): Promise<void> {
    for await (const page of this.keys(family)) await this.deleteMany(page);
  }

  /** Live health of every tier; see {@link StoreHealth}. */
  async health(): Promise<StoreHealth> {
    return collectHealth(this.#runtime, this.#maintenance, this.options.sources);
  }

  /**
   * Flush pending buffered writes, then stop background work. Call it on SIGTERM/SIGINT. The
   * injected clients stay open: their owner closes them.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      await this.#runtime.flusher?.stop();
    } catch (error) {
      // Not lost: the entries stay in the Redis journal for the next flusher to copy.
      this.options.logger.error(
        { err: error },
        'final write-behind flush failed; pending writes stay in the Redis journal for the next flusher',
      );
    } finally {
      await this.#locker.kept.close();
      await this.#maintenance.stop();
      this.#runtime.close();
      this.#l1Link?.close();
    }
  }

  /**
   * A write outside the locks: copies that kept locks hold of these keys are not served
   * again (before, and after, in case a lock took the key meanwhile).
   */
  async #writeAround<R>(refs: readonly KeyRef[], write: () => Promise<R>): Promise<R> {
    this.#locker.kept.invalidate(refs);
    try {
      return await write();
    } finally {
      this.#locker.kept.invalidate(refs);
    }
  }

  async #readThrough(ref: KeyRef): Promise<StoredEntry | null> {
    const [entry = null] = await this.#runtime.routeOf(ref.family).read([ref]);
    this.#l1.remember(ref, entry);
    return entry;
  }

  #assertOpen(refs: readonly KeyRef[]): void {
    for (const ref of refs) this.#assertRef(ref);
  }

  #assertRef(ref: KeyRef): void {
    if (this.#closed) throw hsError('HS_STORE_CLOSED', 'The store was closed; create a new one.');
    this.#assertFamily(ref?.family);
  }

  #assertFamily(family: Family | undefined): void {
    if (family === undefined || !this.options.keyspace.owns(family)) {
      throw hsError(
        'HS_KEY_INVALID',
        `Key family "${family?.name ?? String(family)}" is not declared in this store's keyspace "${this.options.keyspace.prefix}". Declare it with keyspace.family().`,
        { family: family?.name },
      );
    }
  }
}

/**
 * Build a {@link TieredStore} and {@link TieredStore.start} it.
 *
 * @example
 * ```ts
 * const store = await createTieredStore({ keyspace, cache: new MemoryTier(), postgres: new PostgresTier(sql) });
 * ```
 */
export function createTieredStore(options: TieredStoreOptions): Promise<TieredStore> {
  return new TieredStore(options).start();
}

function backoff(attempt: number): Promise<void> {
  if (attempt < 3) return Promise.resolve();
  const ms = Math.min(50, 2 ** Math.min(attempt - 3, 5)) * Math.random();
  return new Promise((resolve) => setTimeout(resolve, ms));
}
