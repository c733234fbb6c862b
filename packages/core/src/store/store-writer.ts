import { assertTtl, type KeyRef } from '../keyspace/family.ts';
import { FENCED, type TierWrite, type TierWriteOptions, type WriteOutcome } from '../tiers/tier.ts';
import type { L1Cache } from './l1-cache.ts';
import type { Route } from './route.ts';
import type { ResolvedStoreOptions } from './store-options.ts';
import type { StoreRuntime } from './store-runtime.ts';
import { prepareValue } from './value-preparer.ts';

/** The versions keys had when they were read under their lock (`null`: absent). */
export interface ReadVersions {
  versionRead(redisKey: string): number | null;
}

/** One value to store. */
export interface WriteItem {
  readonly ref: KeyRef;
  readonly value: unknown;
  /** Lifetime of this value, overriding the family's `ttlMs`. */
  readonly ttlMs?: number | undefined;
  /** `encodeValue(value)`, when the caller already has it. */
  readonly encoded?: string | undefined;
}

/**
 * Turns values into tier writes (checked and encoded before anything is written) and applies
 * a batch across the routes, durable first, keeping the L1 in step.
 */
export class StoreWriter {
  readonly #runtime: StoreRuntime;
  readonly #l1: L1Cache;
  readonly #options: ResolvedStoreOptions;

  constructor(runtime: StoreRuntime, l1: L1Cache, options: ResolvedStoreOptions) {
    this.#runtime = runtime;
    this.#l1 = l1;
    this.#options = options;
  }

  /** Check and encode values; throws before anything is written. */
  prepare(items: readonly WriteItem[]): TierWrite[] {
    const now = Date.now();
    return items.map((item) =>
      this.toWrite(
        item.ref,
        prepareValue(item.ref, item.value, this.#options.maxValueBytes, item.encoded),
        now,
        item.ttlMs,
      ),
    );
  }

  /** Deletions: tombstones that keep the version for `tombstoneTtlMs`. */
  tombstones(refs: readonly KeyRef[]): TierWrite[] {
    const ttlMs = this.#options.tombstoneTtlMs;
    const expiresAt = Date.now() + ttlMs;
    return refs.map((ref): TierWrite => ({ ref, value: null, expiresAt, ttlMs }));
  }

  /** A write of already-encoded text, with the family's lifetimes applied. */
  toWrite(ref: KeyRef, value: string, now: number, ttlMs: number | undefined): TierWrite {
    assertTtl(ttlMs, `ttlMs for "${ref.key}"`);
    const expiresAt = ref.family.expiresAtFrom(now, ttlMs);
    const lifetime = expiresAt === null ? Number.POSITIVE_INFINITY : expiresAt - now;
    const cacheTtl =
      ref.family.durability === 'ephemeral' ? lifetime : Math.min(ref.family.cacheTtlMs, lifetime);
    return { ref, value, expiresAt, ttlMs: cacheTtl };
  }

  /**
   * Apply a batch: one write per key (the last, as if applied in order: naming a key twice
   * would otherwise commit the last value but write an earlier one through to Redis), durable
   * first so that if PostgreSQL refuses, nothing ephemeral of the batch was written either.
   * With `expected` (versions read under a lock), PostgreSQL-truth writes are compare-and-sets;
   * with a kept lease (`options.keepLeaseMs`) every write is, since the holder's copy must be
   * the stored value (another writer may have written while the lease was kept).
   */
  write(
    batch: readonly TierWrite[],
    options: TierWriteOptions = {},
    expected?: ReadVersions,
  ): Promise<{ writes: TierWrite[]; outcomes: WriteOutcome[] }> {
    if (batch.length !== 1) return this.#writeMany(batch, options, expected);
    try {
      return this.#writeOne(batch[0]!, options, expected);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  async #writeMany(
    batch: readonly TierWrite[],
    options: TierWriteOptions,
    expected: ReadVersions | undefined,
  ): Promise<{ writes: TierWrite[]; outcomes: WriteOutcome[] }> {
    const writes = [...new Map(batch.map((w) => [w.ref.redisKey, w])).values()];
    const outcomes: WriteOutcome[] = [];
    for (const write of writes) this.#l1.forget(write.ref);
    const byRoute = this.#runtime.groupByRoute(
      writes.map((w) => w.ref),
      () => true,
    );
    for (const [route, indexes] of [...byRoute].sort(
      ([a], [b]) => this.#runtime.order(a) - this.#runtime.order(b),
    )) {
      const group = indexes.map((i) => writes[i]!);
      const results =
        expected !== undefined &&
        (this.#runtime.isDurable(route) || options.keepLeaseMs !== undefined)
          ? await this.#compareAndSet(route, group, expected, options)
          : await route.write(group, options);
      indexes.forEach((index, j) => {
        const w = writes[index]!;
        outcomes[index] = results[j]!;
        this.#l1.remember(
          w.ref,
          w.value === null || !results[j]!.applied
            ? null
            : { value: w.value, version: results[j]!.version, expiresAt: w.expiresAt },
        );
      });
    }
    this.#l1.changed(
      writes.flatMap((w, i) =>
        outcomes[i]?.applied ? [{ ref: w.ref, version: outcomes[i]!.version }] : [],
      ),
    );
    return { writes, outcomes };
  }

  /** {@link write} of one key (a session's commit): the same steps without the grouping. */
  #writeOne(
    write: TierWrite,
    options: TierWriteOptions,
    expected: ReadVersions | undefined,
  ): Promise<{ writes: TierWrite[]; outcomes: WriteOutcome[] }> {
    return this.writeOne(write, options, expected).then((outcome) => ({
      writes: [write],
      outcomes: [outcome],
    }));
  }

  /**
   * {@link write} of one key, resolving with its outcome: a kept session commit chains one
   * step on it instead of unwrapping a batch's lists.
   */
  writeOne(
    write: TierWrite,
    options: TierWriteOptions,
    expected: ReadVersions | undefined,
  ): Promise<WriteOutcome> {
    const { ref } = write;
    this.#l1.forget(ref);
    const route = this.#runtime.routeOf(ref.family);
    if (
      expected === undefined ||
      (options.keepLeaseMs === undefined && !this.#runtime.isDurable(route))
    )
      return route.write([write], options).then((outcomes) => this.#settled(write, outcomes[0]!));
    return route
      .compareAndSet(write, expected.versionRead(ref.redisKey), options)
      .then((outcome) => this.#settled(write, outcome.applied ? outcome : refused(outcome)));
  }

  /** Keep the L1 in step with a write's outcome, and pass the outcome on. */
  #settled(write: TierWrite, outcome: WriteOutcome): WriteOutcome {
    const { ref } = write;
    this.#l1.remember(
      ref,
      write.value === null || !outcome.applied
        ? null
        : { value: write.value, version: outcome.version, expiresAt: write.expiresAt },
    );
    if (outcome.applied && this.#l1.heard) this.#l1.changed([{ ref, version: outcome.version }]);
    return outcome;
  }

  /**
   * Locked writes where PostgreSQL is the truth: a compare-and-set against the version read
   * under the lock, so that a moment when the lock was not exclusive (Redis went away and
   * another process locked the key in PostgreSQL) is refused (`FENCED`), never silently lost.
   */
  async #compareAndSet(
    route: Route,
    group: readonly TierWrite[],
    expected: ReadVersions,
    options: TierWriteOptions,
  ): Promise<WriteOutcome[]> {
    const outcomes = await Promise.all(
      group.map((w) => route.compareAndSet(w, expected.versionRead(w.ref.redisKey), options)),
    );
    return outcomes.map((o) => (o.applied ? o : refused(o)));
  }
}

/** A compare-and-set under a lock that was refused: the lock was not exclusive until the write. */
function refused(outcome: WriteOutcome): WriteOutcome {
  return { ...outcome, applied: false, version: FENCED };
}
