import { isHybridStateError } from '../errors.ts';
import type { Keyspace } from '../keyspace/keyspace.ts';
import type { Logger } from '../logger.ts';
import type { PostgresTier } from '../tiers/postgres-tier.ts';
import type { RedisTier, ScriptedClient } from '../tiers/redis-tier.ts';
import { type JournalKeys, journalKeys, shardTag } from './journal-keys.ts';
import { type JournalEntry, RedisJournal } from './redis-journal.ts';
import type { ResolvedWriteBehindOptions } from './write-behind-options.ts';
import { WriteBehindStats, type WriteBehindStatus } from './write-behind-stats.ts';

/**
 * Copies buffered writes from the Redis journal to PostgreSQL in batches.
 *
 * Coordination is a Redis Stream consumer group rather than a lock: every instance drains
 * every shard in parallel, each journal entry is delivered to one flusher, and entries of a
 * flusher that died are claimed by another after `claimIdleMs`. Nothing waits for a lock
 * holder, and a replayed or reordered batch is harmless because the upsert is version-guarded
 * (`WHERE stored.version < new.version`). An entry is deleted only after its batch committed.
 *
 * A shard is flushed when its deadline (the earliest `flushBy` of its writes: the interval, or
 * earlier when a Redis copy would expire first) has come, and every `flushIntervalMs` anyway.
 */
export class WriteBehindFlusher {
  readonly #postgres: PostgresTier;
  readonly #keyspace: Keyspace;
  readonly #logger: Logger;
  readonly #options: ResolvedWriteBehindOptions;
  readonly #redis: RedisTier;
  #bulk: ScriptedClient | undefined;
  #journalOnBulk: RedisJournal | undefined;
  readonly #stats = new WriteBehindStats();
  readonly #flushing = new Map<number, Promise<number>>();
  #timers: NodeJS.Timeout[] = [];
  #retryAt = 0;

  constructor(
    redis: RedisTier,
    postgres: PostgresTier,
    keyspace: Keyspace,
    logger: Logger,
    options: ResolvedWriteBehindOptions,
  ) {
    this.#postgres = postgres;
    this.#keyspace = keyspace;
    this.#logger = logger;
    this.#options = options;
    this.#redis = redis;
  }

  /** The journal, on a connection of its own opened at first use. */
  get #journal(): RedisJournal {
    if (this.#journalOnBulk === undefined) {
      this.#bulk = this.#redis.duplicateForBulk(this.#options.bulkCommandTimeoutMs);
      this.#journalOnBulk = new RedisJournal(this.#bulk, this.#options.consumer);
    }
    return this.#journalOnBulk;
  }

  /** Start the deadline poll and the interval flush. */
  start(): void {
    if (!this.#options.enabled || this.#timers.length > 0) return;
    const minutes = this.#options.flushIntervalMs / 60_000;
    // Seed 004's startup line, for processes that buffer (families declared later still flush).
    if (this.#hasBufferedFamilies())
      this.#logger.info(
        { flushIntervalMs: this.#options.flushIntervalMs, consumer: this.#options.consumer },
        `background sync Redis -> PostgreSQL started (every ${minutes >= 1 ? `${minutes} min` : `${this.#options.flushIntervalMs / 1000} s`})`,
      );
    const poll = setInterval(() => void this.#pollDeadlines(), this.#options.pollMs);
    const interval = setInterval(
      () => void this.flush().catch(() => undefined),
      this.#options.flushIntervalMs,
    );
    for (const timer of [poll, interval]) timer.unref();
    this.#timers = [poll, interval];
  }

  /** Stop the timers and flush what is pending (on shutdown). */
  async stop(): Promise<void> {
    for (const timer of this.#timers) clearInterval(timer);
    this.#timers = [];
    try {
      if (this.#options.enabled && this.#hasBufferedFamilies()) await this.flush();
    } finally {
      this.#bulk?.disconnect();
      this.#bulk = undefined;
      this.#journalOnBulk = undefined;
    }
  }

  /** Flush every shard now; resolves with the number of journal entries written. */
  async flush(): Promise<number> {
    const counts = await Promise.all(
      Array.from({ length: this.#keyspace.shards }, (_, shard) => this.flushShard(shard)),
    );
    return counts.reduce((a, b) => a + b, 0);
  }

  /** Flush one shard; concurrent calls for one shard share a run. */
  flushShard(shard: number): Promise<number> {
    let running = this.#flushing.get(shard);
    if (running === undefined) {
      running = this.#runShard(shard).finally(() => this.#flushing.delete(shard));
      this.#flushing.set(shard, running);
    }
    return running;
  }

  /** Pending entries, lag, last flush, throughput and dead letters, across shards. */
  async status(): Promise<WriteBehindStatus> {
    const shards = await Promise.all(this.#allKeys().map((keys) => this.#journal.stats(keys)));
    return this.#stats.snapshot(shards);
  }

  /** Dead letters (entries PostgreSQL refused) across shards. */
  async deadLetters(limit = 100): Promise<Record<string, string>[]> {
    const all = await Promise.all(
      this.#allKeys().map((keys) => this.#journal.deadLetters(keys, limit)),
    );
    return all.flat().slice(0, limit);
  }

  async #pollDeadlines(): Promise<void> {
    if (!this.#hasBufferedFamilies() || Date.now() < this.#retryAt) return;
    const now = Date.now();
    await Promise.all(
      this.#allKeys().map(async (keys, shard) => {
        const deadline = await this.#journal.deadline(keys).catch(() => null);
        if (deadline !== null && deadline <= now)
          await this.flushShard(shard).catch(() => undefined);
      }),
    );
  }

  async #runShard(shard: number): Promise<number> {
    const keys = journalKeys(shardTag(this.#keyspace.prefix, shard));
    const started = performance.now();
    try {
      await this.#journal.takeDeadline(keys);
      let rows = await this.#drain(keys, () =>
        this.#journal.readOwnPending(keys, this.#options.batchSize),
      );
      rows += await this.#drainClaims(keys);
      rows += await this.#drain(
        keys,
        () => this.#journal.readNew(keys, this.#options.batchSize),
        true,
      );
      this.#stats.recordFlush(rows, performance.now() - started);
      this.#retryAt = 0;
      if (rows > 0)
        this.#logger.info(
          { shard, rows, ms: Math.round(performance.now() - started) },
          `background sync done: ${rows} keys in ${Math.round(performance.now() - started)} ms`,
        );
      return rows;
    } catch (error) {
      await this.#retryLater(keys, error);
      throw error;
    }
  }

  async #drain(
    keys: JournalKeys,
    read: () => Promise<JournalEntry[]>,
    prefetch = false,
  ): Promise<number> {
    let rows = 0;
    let next = read();
    try {
      for (;;) {
        const entries = await next;
        if (entries.length === 0) return rows;
        // New entries can be fetched while PostgreSQL works on this batch; own pending ones
        // cannot (re-reading them would return the batch in flight).
        next = prefetch ? read() : Promise.resolve([]);
        rows += await this.#commit(keys, entries);
        if (!prefetch) next = read();
      }
    } finally {
      // A read fetched ahead of a failed commit is abandoned: its entries stay pending for
      // this consumer and are re-read at the next flush; its failure must not go unhandled.
      next.catch(() => undefined);
    }
  }

  async #drainClaims(keys: JournalKeys): Promise<number> {
    let rows = 0;
    let cursor = '0-0';
    do {
      const claimed = await this.#journal.claimIdle(
        keys,
        this.#options.claimIdleMs,
        this.#options.batchSize,
        cursor,
      );
      if (claimed.entries.length > 0) rows += await this.#commit(keys, claimed.entries);
      cursor = claimed.cursor;
    } while (cursor !== '0-0');
    return rows;
  }

  /**
   * Write one batch (one statement), dead-letter what PostgreSQL refuses, then acknowledge.
   * Every entry is written, whether or not this process declares its family: the row only
   * needs its namespace and key, and another instance (a rolling deploy, an app declaring a
   * subset of families) must never make an acknowledged write disappear.
   */
  async #commit(keys: JournalKeys, entries: readonly JournalEntry[]): Promise<number> {
    const writable = entries.filter((e) => e.version >= 0);
    await this.#apply(keys, writable);
    await this.#journal.ack(keys, entries);
    return writable.length;
  }

  /** Upsert a batch; when PostgreSQL refuses a value, split the batch to find it and set it aside. */
  async #apply(keys: JournalKeys, entries: readonly JournalEntry[]): Promise<void> {
    if (entries.length === 0) return;
    try {
      const applied = await this.#postgres.upsertGuarded(entries);
      this.#stats.recordRows(applied, entries.length - applied);
    } catch (error) {
      if (!isHybridStateError(error, 'HS_VALUE_REJECTED')) throw error;
      if (entries.length === 1) return this.#deadLetter(keys, entries[0]!, error.message);
      const half = Math.ceil(entries.length / 2);
      await this.#apply(keys, entries.slice(0, half));
      await this.#apply(keys, entries.slice(half));
    }
  }

  async #deadLetter(keys: JournalKeys, entry: JournalEntry, reason: string): Promise<void> {
    this.#logger.error(
      { namespace: entry.namespace, key: entry.key, version: entry.version, reason },
      'write-behind entry refused by PostgreSQL; moved to the dead-letter stream',
    );
    await this.#journal.deadLetter(keys, entry, reason);
  }

  async #retryLater(keys: JournalKeys, error: unknown): Promise<void> {
    const delay = this.#stats.recordFailure(
      error,
      this.#options.pollMs,
      this.#options.maxRetryDelayMs,
    );
    this.#retryAt = Date.now() + delay;
    this.#logger.warn(
      { err: error, retryInMs: delay },
      'background sync Redis -> PostgreSQL failed; the journal keeps every write, retrying',
    );
    await this.#journal.lowerDeadline(keys, this.#retryAt).catch(() => undefined);
  }

  #hasBufferedFamilies(): boolean {
    return this.#keyspace.families().some((f) => f.durability === 'buffered');
  }

  #allKeys(): JournalKeys[] {
    return Array.from({ length: this.#keyspace.shards }, (_, shard) =>
      journalKeys(shardTag(this.#keyspace.prefix, shard)),
    );
  }
}
