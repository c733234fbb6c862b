import type { Family, KeyRef } from '../keyspace/family.ts';

/** The kinds of tier behind the {@link Tier} port. */
export type TierKind = 'memory' | 'redis' | 'postgres' | 'pglite';

/** A value as a tier holds it: encoded JSON text, its version and its logical expiry. */
export interface StoredEntry {
  /** Encoded JSON (see the codec). */
  readonly value: string;
  /** Monotonic per key: microseconds since the epoch, or one more than the previous version. */
  readonly version: number;
  /** Logical expiry, epoch milliseconds; `null` when the value lives until deleted. */
  readonly expiresAt: number | null;
}

/** One write. `value: null` deletes, leaving a tombstone that keeps the version. */
export interface TierWrite {
  readonly ref: KeyRef;
  readonly value: string | null;
  /** Logical expiry, epoch ms (PostgreSQL `expires_at`; returned by `ttl()`). */
  readonly expiresAt: number | null;
  /** How long a cache tier (memory, Redis) keeps this entry. Always set: no key without a TTL. */
  readonly ttlMs: number;
  /**
   * Absent: the tier assigns a version greater than the stored one (`max(stored + 1, now in µs)`).
   * Present: a guarded write, applied only when greater than the stored version.
   */
  readonly version?: number;
}

/** Options of a cache tier write. */
export interface TierWriteOptions {
  /** Release the written keys' session locks held with this token, in the same atomic step. */
  readonly unlockToken?: string;
  /**
   * With `unlockToken`: refuse (outcome version -1) a write whose lock is no longer held by the
   * token. For tiers that are the truth of a key (ephemeral, buffered); a write-through after a
   * PostgreSQL commit must not be fenced, or the copy would go stale.
   */
  readonly fence?: boolean;
  /**
   * With `unlockToken`: keep the lock, renewed to this many ms (0: left as it is), instead of
   * releasing it; give it up instead when a contender asked for the key (see the outcome's
   * `lock`).
   */
  readonly keepLeaseMs?: number;
}

/** What became of a kept lock after a write or a renewal. */
export type KeptLock = 'kept' | 'given-up' | 'not-held';

/** Outcome version of a write refused because its session lock was lost. */
export const FENCED = -1;

/** What a write did. */
export interface WriteOutcome {
  /** False when a guard or compare-and-set condition refused the write. */
  readonly applied: boolean;
  /** The version stored by this write; when not applied, the version that was offered (or 0). */
  readonly version: number;
  /** With `keepLeaseMs`: whether the lock is still held. */
  readonly lock?: KeptLock;
}

/**
 * The port every storage tier implements; one contract suite (`@hybridstate/core/testing`)
 * runs unchanged against all of them.
 */
export interface Tier {
  readonly kind: TierKind;
  /** Live entries for the keys, in order; `null` for absent, deleted or expired. */
  read(refs: readonly KeyRef[]): Promise<(StoredEntry | null)[]>;
  /** Apply writes (assigned or guarded versions, see {@link TierWrite.version}). */
  write(entries: readonly TierWrite[]): Promise<WriteOutcome[]>;
  /**
   * Write only if the live version equals `expected` (`null`: only if absent, deleted or
   * expired). The new version is assigned by the tier.
   */
  compareAndSet(entry: Omit<TierWrite, 'version'>, expected: number | null): Promise<WriteOutcome>;
  /** Live keys of a family, in pages. Never blocks the server (SCAN, keyset pagination). */
  scan(family: Family, pageSize?: number): AsyncIterable<KeyRef[]>;
  /** Round trip to the tier, in milliseconds. Throws when unreachable. */
  ping(): Promise<number>;
}

/** What a cache knows of a key: a live entry, a deletion (tombstone) at a version, or nothing. */
export type CacheLookup = StoredEntry | { readonly deleted: true; readonly version: number } | null;

/** A tier that holds copies (memory, Redis): it also reports tombstones and drops stale copies. */
export interface CacheTier extends Tier {
  readonly kind: 'memory' | 'redis';
  /** Like `read`, but a deleted key reports its tombstone instead of `null`. */
  lookup(refs: readonly KeyRef[]): Promise<CacheLookup[]>;
  /** Drop each entry whose version is lower than the matching `versions[i]` (purges stale copies). */
  evictOlderThan(refs: readonly KeyRef[], versions: readonly number[]): Promise<void>;
  /** Synchronous read, for tiers that hold entries in this process (memory); absent otherwise. */
  peek?(ref: KeyRef): StoredEntry | null;
  /** Write; with `unlockToken`, also release the keys' session locks in the same step. */
  write(entries: readonly TierWrite[], options?: TierWriteOptions): Promise<WriteOutcome[]>;
  /**
   * Take each key's session lock and, where taken, read the key in the same step (one command
   * per key). A `lookup` of `null` for a taken key means the cache holds nothing for it.
   */
  tryLockAndLookup(
    refs: readonly KeyRef[],
    token: string,
    leaseMs: number,
  ): Promise<{ acquired: boolean; lookup: CacheLookup }[]>;
  /** Take each key's session lock for `leaseMs` unless another token holds it. */
  tryLock(refs: readonly KeyRef[], token: string, leaseMs: number): Promise<boolean[]>;
  /** Release the locks this token still holds. */
  unlock(refs: readonly KeyRef[], token: string): Promise<void>;
  /** Extend the locks this token still holds; returns how many it extended. */
  renewLocks(refs: readonly KeyRef[], token: string, leaseMs: number): Promise<number>;
  /**
   * Kept leases: extend the locks flagged in `renew` that this token still holds, and say of
   * every key whether it is still held (`true` when not renewed: not checked) and whether a
   * contender asked for it.
   */
  checkKept(
    refs: readonly KeyRef[],
    renew: readonly boolean[],
    token: string,
    leaseMs: number,
  ): Promise<{ held: boolean; wanted: boolean }[]>;
  /** Compare-and-set; with `unlockToken` (and `fence`, `keepLeaseMs`), as {@link write}. */
  compareAndSet(
    entry: Omit<TierWrite, 'version'>,
    expected: number | null,
    options?: TierWriteOptions,
  ): Promise<WriteOutcome>;
}

/** Microseconds since the epoch, as a JavaScript number (safe until the year 2255). */
export function nowMicros(): number {
  return Math.floor((performance.timeOrigin + performance.now()) * 1000);
}

/** The version a tier assigns on an unguarded write. */
export function nextVersion(stored: number): number {
  return Math.max(stored + 1, nowMicros());
}
