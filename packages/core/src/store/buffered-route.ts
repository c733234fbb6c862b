import { hsError, isHybridStateError } from '../errors.ts';
import type { KeyRef } from '../keyspace/family.ts';
import type { Logger } from '../logger.ts';
import type { PostgresTier } from '../tiers/postgres-tier.ts';
import type { RedisTier } from '../tiers/redis-tier.ts';
import type {
  CacheTier,
  StoredEntry,
  TierWrite,
  TierWriteOptions,
  WriteOutcome,
} from '../tiers/tier.ts';
import type { DurableRoute } from './durable-route.ts';
import type { ReplicaWaiter } from './replica-waiter.ts';
import type { Route } from './route.ts';
import type { TierGate } from './tier-gate.ts';

/**
 * `buffered` families: a write is acknowledged once Redis holds the value and its journal
 * entry, written in one atomic Lua step; the write-behind flusher copies it to PostgreSQL
 * before `flushBy`. Reads are the durable route's (Redis, then PostgreSQL, restoring Redis).
 * While Redis is unreachable, writes go straight to PostgreSQL through the durable route:
 * slower, still durable, and the keys' Redis copies are marked stale; `update()` fails
 * instead (see {@link BufferedRoute.compareAndSet}).
 *
 * With `replicaAcks`, a write is acknowledged only once that many replicas of its Redis master
 * hold it; what they do not confirm in time is copied to PostgreSQL (version-guarded, the
 * flusher's own statement) before the call returns, so a failover cannot take it away.
 */
export class BufferedRoute implements Route {
  readonly #cache: TierGate<CacheTier>;
  readonly #durable: DurableRoute;
  readonly #flushBy: (entry: Omit<TierWrite, 'version'>) => number;
  readonly #replicas: ReplicaWaiter | undefined;
  readonly #postgres: TierGate<PostgresTier>;
  readonly #logger: Logger;
  #unconfirmedLogged = false;

  constructor(
    cache: TierGate<CacheTier>,
    durable: DurableRoute,
    flushBy: (entry: Omit<TierWrite, 'version'>) => number,
    postgres: TierGate<PostgresTier>,
    logger: Logger,
    replicas?: ReplicaWaiter,
  ) {
    this.#cache = cache;
    this.#durable = durable;
    this.#flushBy = flushBy;
    this.#postgres = postgres;
    this.#logger = logger;
    this.#replicas = replicas;
  }

  read(refs: readonly KeyRef[]): Promise<(StoredEntry | null)[]> {
    return this.#durable.read(refs);
  }

  /** Redis holds the newest value of a buffered key; on a miss, PostgreSQL (restored into Redis). */
  async readAuthoritative(ref: KeyRef): Promise<StoredEntry | null> {
    const [entry] = await this.read([ref]);
    return entry ?? null;
  }

  async write(
    entries: readonly TierWrite[],
    options: TierWriteOptions = {},
  ): Promise<WriteOutcome[]> {
    const locked = options.unlockToken === undefined ? {} : { ...options, fence: true };
    const journaled = await this.#viaRedis((redis) =>
      redis.writeJournaled(entries, entries.map(this.#flushBy), locked),
    );
    if (journaled !== undefined) {
      await this.#replicated(entries, journaled);
      return journaled;
    }
    if (options.unlockToken !== undefined) {
      // A locked commit read Redis, the truth of a buffered key: writing around it through
      // PostgreSQL could undo unflushed entries. Refuse; the holder retries.
      throw hsError(
        'HS_TIER_UNAVAILABLE',
        `The locked write of buffered key "${entries[0]?.ref.key}" needs Redis, which became unavailable; nothing was written. Retry.`,
        { tier: 'redis' },
      );
    }
    return this.#durable.write(entries);
  }

  /**
   * Compare-and-set in Redis, which holds the newest value. While Redis is unreachable this
   * fails with `HS_TIER_UNAVAILABLE` instead of falling back: PostgreSQL may lag behind
   * unflushed journal entries, and an update computed from it would silently undo them.
   */
  async compareAndSet(
    entry: Omit<TierWrite, 'version'>,
    expected: number | null,
    options: TierWriteOptions = {},
  ): Promise<WriteOutcome> {
    const locked = options.unlockToken === undefined ? {} : { ...options, fence: true };
    const journaled = await this.#viaRedis((redis) =>
      redis.compareAndSetJournaled(entry, expected, this.#flushBy(entry), locked),
    );
    if (journaled === undefined) {
      throw hsError(
        'HS_TIER_UNAVAILABLE',
        `update() of buffered key "${entry.ref.key}" needs Redis, which holds its newest value, and Redis is unavailable. Retry when it is back; set() still works (through PostgreSQL).`,
        { tier: 'redis', key: entry.ref.key },
      );
    }
    await this.#replicated([entry], [journaled]);
    return journaled;
  }

  /**
   * With `replicaAcks`: wait for the replicas of the written keys' masters; copy what they did
   * not confirm to PostgreSQL. Throws `HS_TIER_UNAVAILABLE` when neither holds it safely (the
   * write stays in Redis and its journal, as any write whose reply was lost).
   */
  async #replicated(
    entries: readonly Omit<TierWrite, 'version'>[],
    outcomes: readonly WriteOutcome[],
  ): Promise<void> {
    const replicas = this.#replicas;
    if (replicas === undefined) return;
    const written = entries.flatMap((entry, i) =>
      outcomes[i]?.applied ? [{ entry, version: outcomes[i].version }] : [],
    );
    if (written.length === 0) return;
    const confirmed = await replicas.confirmed(written.map((w) => w.entry.ref));
    const unconfirmed = written.filter((_, i) => !confirmed[i]);
    if (unconfirmed.length === 0) return;
    if (!this.#unconfirmedLogged) {
      this.#unconfirmedLogged = true;
      this.#logger.warn(
        { replicas: replicas.replicas, timeoutMs: replicas.timeoutMs, keys: unconfirmed.length },
        `buffered writes: Redis did not confirm ${replicas.replicas} replica(s) within ${replicas.timeoutMs} ms; such writes are copied to PostgreSQL before they are acknowledged (slower, still safe; said once)`,
      );
    }
    await this.#postgres.call((pg) =>
      pg.upsertGuarded(
        unconfirmed.map(({ entry, version }) => ({
          namespace: entry.ref.family.namespace,
          key: entry.ref.key,
          value: entry.value,
          expiresAt: entry.expiresAt,
          version,
        })),
      ),
    );
  }

  /** Run on Redis; `undefined` when Redis is unavailable (the caller falls back to PostgreSQL). */
  async #viaRedis<R>(operation: (redis: RedisTier) => Promise<R>): Promise<R | undefined> {
    if (!this.#cache.isUp) return undefined;
    try {
      return await this.#cache.call((cache) => operation(cache as RedisTier));
    } catch (error) {
      if (isHybridStateError(error, 'HS_TIER_UNAVAILABLE')) return undefined;
      throw error;
    }
  }
}
