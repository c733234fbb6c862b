import { randomUUID } from 'node:crypto';
import type { KeyRef } from '../keyspace/family.ts';
import type { Logger } from '../logger.ts';
import type { KeptLock, StoredEntry } from '../tiers/tier.ts';
import type { StoreRuntime } from './store-runtime.ts';

/** A key's lock this process keeps between `lock()` calls, with its copy of the key. */
export interface KeptLease {
  readonly ref: KeyRef;
  /** The stored entry as this process last read or wrote it under the lease. */
  entry: StoredEntry | null;
  /**
   * The entry's text is this process's own encoding (its last commit wrote it): decoding and
   * encoding it again gives it back, so a holder may compare with it as is.
   */
  ownText: boolean;
  readonly leaseMs: number;
  readonly keepMs: number;
  /** The copy is served without asking Redis until then (local clock, a third of the lease early). */
  validUntil: number;
  /** When a holder last let go of it (idle release after `keepMs`). */
  lastUsed: number;
  /** A holder is using it (its update runs). */
  busy: boolean;
  /** A renewal is on its way: the copy is not served until it answers. */
  renewing: boolean;
}

/** How often kept leases are checked: renewed when due, given up when asked for or idle too long. */
const KEEP_TICK_MS = 100;

/**
 * The locks this process keeps (see `LockOptions.keepMs`): while it holds a key's lease it
 * serves the key from its own copy (no Redis read) and writes with its token, fenced and
 * compare-and-set against the copy's version. A lease is given up when idle for `keepMs`, at
 * once when a contender asks for it (seen by the next write, or within {@link KEEP_TICK_MS}
 * when idle: one call per shard and tick), and whenever anything about it is in doubt (a failed write,
 * Redis unavailable): the next holder then reads the key again.
 */
export class KeptLeases {
  /** One token for every kept lease of this process: taking a kept key again is re-entrant. */
  readonly token = randomUUID();
  readonly #runtime: StoreRuntime;
  readonly #logger: Logger;
  readonly #leases = new Map<string, KeptLease>();
  #ticker: NodeJS.Timeout | undefined;

  constructor(runtime: StoreRuntime, logger: Logger) {
    this.#runtime = runtime;
    this.#logger = logger;
  }

  /** Number of leases kept (tests, health). */
  get size(): number {
    return this.#leases.size;
  }

  /**
   * The kept leases of `refs`, marked busy, when every one is held with a copy that can be
   * served now; `undefined` otherwise (the caller takes the locks and reads). The caller
   * holds the keys' in-process mutexes.
   */
  take(refs: readonly KeyRef[]): KeptLease[] | undefined {
    if (!this.#runtime.cache.isUp || !this.#runtime.cache.isReadable) {
      this.#dropAll();
      return undefined;
    }
    const now = Date.now();
    const leases: KeptLease[] = [];
    for (const ref of refs) {
      const lease = this.#leases.get(ref.redisKey);
      if (lease === undefined || !servable(lease, now)) return undefined;
      leases.push(lease);
    }
    for (const lease of leases) lease.busy = true;
    return leases;
  }

  /** Keep the leases just taken (at `sentAt`) with the entries read, marked busy. */
  keep(
    refs: readonly KeyRef[],
    entries: readonly (StoredEntry | null)[],
    options: { leaseMs: number; keepMs: number },
    sentAt: number,
  ): KeptLease[] {
    return refs.map((ref, i) => {
      const lease: KeptLease = {
        ref,
        entry: entries[i] ?? null,
        ownText: false,
        leaseMs: options.leaseMs,
        keepMs: options.keepMs,
        validUntil: sentAt + (options.leaseMs * 2) / 3,
        lastUsed: sentAt,
        busy: true,
        renewing: false,
      };
      this.#leases.set(ref.redisKey, lease);
      this.#startTicker();
      return lease;
    });
  }

  /**
   * A write under the lease stored `entry`; the lock is in state `lock`, renewed by the write
   * when `renewedAt` (when it was sent) is given.
   */
  wrote(
    lease: KeptLease,
    entry: StoredEntry | null,
    lock: KeptLock,
    renewedAt: number | undefined,
  ): void {
    if (lock !== 'kept') {
      this.#forgetLease(lease);
      return;
    }
    lease.entry = entry;
    lease.ownText = entry !== null;
    // An invalidation (another writer of this process) while the write ran wins.
    if (renewedAt !== undefined && lease.validUntil > 0)
      lease.validUntil = renewedAt + (lease.leaseMs * 2) / 3;
  }

  /** Its holder let go of it (committed or released). */
  idle(lease: KeptLease): void {
    lease.busy = false;
    lease.lastUsed = Date.now();
  }

  /**
   * Stop serving the copies of `refs` (another writer of this process wrote them): the next
   * holder reads them again, under the same lease.
   */
  invalidate(refs: readonly KeyRef[]): void {
    if (this.#leases.size === 0) return;
    for (const ref of refs) {
      const lease = this.#leases.get(ref.redisKey);
      if (lease !== undefined) lease.validUntil = 0;
    }
  }

  /**
   * Forget the leases of `refs` and release their locks: those kept (before a lock that does
   * not keep them), or all of them (`all`: a failed write, whose lease may be forgotten
   * already). The caller holds the keys' in-process mutexes, so no newer lease is released.
   */
  async giveUp(refs: readonly KeyRef[], all = false): Promise<void> {
    const held = refs.filter((ref) => this.#leases.delete(ref.redisKey) || all);
    if (held.length > 0) await this.#unlock(held);
  }

  /** Give every lease up (the store closes). */
  async close(): Promise<void> {
    this.#stopTicker();
    const refs = [...this.#leases.values()].map((lease) => lease.ref);
    this.#leases.clear();
    if (refs.length > 0) await this.#unlock(refs);
  }

  #forgetLease(lease: KeptLease): void {
    if (this.#leases.get(lease.ref.redisKey) === lease) this.#leases.delete(lease.ref.redisKey);
  }

  #dropAll(): void {
    // Redis is unavailable: nothing can be released there; the leases run out on their own.
    this.#leases.clear();
  }

  #startTicker(): void {
    if (this.#ticker !== undefined) return;
    this.#ticker = setInterval(() => void this.#tick(), KEEP_TICK_MS);
    this.#ticker.unref();
  }

  #stopTicker(): void {
    if (this.#ticker === undefined) return;
    clearInterval(this.#ticker);
    this.#ticker = undefined;
  }

  /**
   * Give up leases idle for `keepMs`; for the others, one call per shard renews those two
   * thirds through their lease and lists the keys contenders wait for: idle ones are given up
   * at once, busy ones at their next write (which sees the request by itself).
   */
  async #tick(): Promise<void> {
    if (this.#leases.size === 0) {
      this.#stopTicker();
      return;
    }
    if (!this.#runtime.cache.isUp) {
      this.#dropAll();
      return;
    }
    const now = Date.now();
    const expired: KeyRef[] = [];
    const check: KeptLease[] = [];
    for (const lease of this.#leases.values()) {
      if (lease.renewing) continue;
      if (!lease.busy && now - lease.lastUsed >= lease.keepMs) {
        this.#leases.delete(lease.ref.redisKey);
        expired.push(lease.ref);
      } else check.push(lease);
    }
    await Promise.all([
      expired.length > 0 ? this.#unlock(expired) : undefined,
      ...[...groupBy(check, (l) => l.leaseMs).values()].map((group) => this.#check(group, now)),
    ]);
  }

  async #check(leases: readonly KeptLease[], sentAt: number): Promise<void> {
    const renew = leases.map((lease) => renewDue(lease, sentAt));
    // A copy whose lease is being renewed is not served until the renewal answers.
    leases.forEach((lease, i) => {
      lease.renewing = renew[i]!;
    });
    try {
      const states = await this.#runtime.cache.call((cache) =>
        cache.checkKept(
          leases.map((l) => l.ref),
          renew,
          this.token,
          leases[0]!.leaseMs,
        ),
      );
      const wanted: KeyRef[] = [];
      leases.forEach((lease, i) => {
        const state = states[i]!;
        if (!state.held) this.#forgetLease(lease);
        else if (state.wanted && !lease.busy && this.#leases.get(lease.ref.redisKey) === lease) {
          // Only the lease still kept, idle, now: the same token may hold a newer one of the
          // key (taken again since the check was sent), which an unlock would release.
          this.#leases.delete(lease.ref.redisKey);
          wanted.push(lease.ref);
        } else if (renew[i] && lease.validUntil > 0)
          lease.validUntil = sentAt + (lease.leaseMs * 2) / 3;
      });
      if (wanted.length > 0) await this.#unlock(wanted);
    } catch (error) {
      // In doubt: forget the copies being renewed (their locks run out, or are taken again).
      leases.forEach((lease, i) => {
        if (renew[i]) this.#forgetLease(lease);
      });
      this.#logger.debug({ err: error }, 'kept session leases could not be checked');
    } finally {
      for (const lease of leases) lease.renewing = false;
    }
  }

  async #unlock(refs: readonly KeyRef[]): Promise<void> {
    await this.#runtime.cache
      .call((cache) => cache.unlock(refs, this.token))
      .catch(() => undefined);
  }
}

function groupBy<T, K>(items: readonly T[], keyOf: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const group = groups.get(keyOf(item));
    if (group === undefined) groups.set(keyOf(item), [item]);
    else group.push(item);
  }
  return groups;
}

/** A busy lease is renewed once two thirds of it have passed (never an invalidated copy's). */
function renewDue(lease: KeptLease, now: number): boolean {
  return lease.validUntil > 0 && lease.validUntil - now <= lease.leaseMs / 3;
}

function servable(lease: KeptLease, now: number): boolean {
  if (lease.busy || lease.renewing || lease.validUntil <= now) return false;
  const expiresAt = lease.entry?.expiresAt ?? null;
  return expiresAt === null || expiresAt > now;
}
