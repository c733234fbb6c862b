import { LRUCache } from 'lru-cache';
import type { Family, KeyRef } from '../keyspace/family.ts';
import { lockKeyOf } from './lock-keys.ts';
import {
  type CacheLookup,
  type CacheTier,
  FENCED,
  type KeptLock,
  nextVersion,
  type StoredEntry,
  type TierWrite,
  type TierWriteOptions,
  type WriteOutcome,
} from './tier.ts';

/** Options of {@link MemoryTier}. */
export interface MemoryTierOptions {
  /** Most entries kept; the least recently used go first (tombstones count). @default 100_000 */
  readonly maxEntries?: number;
}

/** Defaults of {@link MemoryTierOptions}. */
export const MEMORY_TIER_DEFAULTS = { maxEntries: 100_000 } as const;

interface Slot {
  readonly value: string | null;
  readonly version: number;
  readonly expiresAt: number | null;
}

/**
 * Process memory as a tier: an LRU bounded by entry count, every entry with a TTL. It stands
 * in for Redis when none is configured (embedded mode), serves as the optional L1, and is the
 * last resort for ephemeral data when Redis is down. It is not shared between processes.
 *
 * @example
 * ```ts
 * const tier = new MemoryTier({ maxEntries: 10_000 });
 * ```
 */
export class MemoryTier implements CacheTier {
  readonly kind = 'memory' as const;
  readonly #slots: LRUCache<string, Slot>;
  /** Session locks: lock key -> holder token and lease end (epoch ms). */
  readonly #locks = new Map<string, { token: string; until: number }>();
  /** Lock keys a contender asked for (see `TierWriteOptions.keepLeaseMs`). */
  readonly #wanted = new Set<string>();

  constructor(options: MemoryTierOptions = {}) {
    this.#slots = new LRUCache<string, Slot>({
      max: options.maxEntries ?? MEMORY_TIER_DEFAULTS.maxEntries,
      ttlAutopurge: false,
    });
  }

  /** Synchronous read used by the L1 fast path. */
  peek(ref: KeyRef): StoredEntry | null {
    const slot = this.#slots.get(ref.redisKey);
    return slot === undefined || slot.value === null ? null : (slot as StoredEntry);
  }

  async read(refs: readonly KeyRef[]): Promise<(StoredEntry | null)[]> {
    return refs.map((ref) => this.peek(ref));
  }

  async lookup(refs: readonly KeyRef[]): Promise<CacheLookup[]> {
    return refs.map((ref) => {
      const slot = this.#slots.get(ref.redisKey);
      if (slot === undefined) return null;
      return slot.value === null ? { deleted: true, version: slot.version } : (slot as StoredEntry);
    });
  }

  async write(
    entries: readonly TierWrite[],
    options: TierWriteOptions = {},
  ): Promise<WriteOutcome[]> {
    return entries.map((entry) => this.#locked(entry, options, () => this.#writeOne(entry)));
  }

  /** A write under the session-lock options: fenced, then the lock released or kept. */
  #locked(entry: TierWrite, options: TierWriteOptions, write: () => WriteOutcome): WriteOutcome {
    const token = options.unlockToken;
    if (token === undefined) return write();
    const held = this.#holds(entry.ref, token);
    if (options.fence === true && !held)
      return { applied: false, version: FENCED, ...this.#keptState(options, 'not-held') };
    const outcome = write();
    if (!held) return { ...outcome, ...this.#keptState(options, 'not-held') };
    const key = lockKeyOf(entry.ref);
    if (options.keepLeaseMs === undefined) {
      this.#locks.delete(key);
      return outcome;
    }
    if (this.#wanted.delete(key)) {
      this.#locks.delete(key);
      return { ...outcome, lock: 'given-up' };
    }
    if (options.keepLeaseMs > 0)
      this.#locks.set(key, { token, until: Date.now() + options.keepLeaseMs });
    return { ...outcome, lock: 'kept' };
  }

  #keptState(options: TierWriteOptions, lock: KeptLock): { lock?: KeptLock } {
    return options.keepLeaseMs === undefined ? {} : { lock };
  }

  #holds(ref: KeyRef, token: string): boolean {
    const held = this.#locks.get(lockKeyOf(ref));
    return held !== undefined && held.token === token && held.until > Date.now();
  }

  async tryLock(refs: readonly KeyRef[], token: string, leaseMs: number): Promise<boolean[]> {
    const now = Date.now();
    return refs.map((ref) => {
      const key = lockKeyOf(ref);
      const held = this.#locks.get(key);
      if (held !== undefined && held.until > now && held.token !== token) {
        this.#wanted.add(key);
        return false;
      }
      if (held?.token !== token || held.until <= now) this.#wanted.delete(key);
      this.#locks.set(key, { token, until: now + leaseMs });
      return true;
    });
  }

  async tryLockAndLookup(
    refs: readonly KeyRef[],
    token: string,
    leaseMs: number,
  ): Promise<{ acquired: boolean; lookup: CacheLookup }[]> {
    const acquired = await this.tryLock(refs, token, leaseMs);
    const found = await this.lookup(refs);
    return refs.map((_, i) => ({ acquired: acquired[i]!, lookup: acquired[i] ? found[i]! : null }));
  }

  async unlock(refs: readonly KeyRef[], token: string): Promise<void> {
    for (const ref of refs) {
      const key = lockKeyOf(ref);
      if (this.#locks.get(key)?.token === token) this.#locks.delete(key);
    }
  }

  async renewLocks(refs: readonly KeyRef[], token: string, leaseMs: number): Promise<number> {
    let renewed = 0;
    for (const ref of refs) {
      const held = this.#locks.get(lockKeyOf(ref));
      if (held?.token === token && held.until > Date.now()) {
        held.until = Date.now() + leaseMs;
        renewed++;
      }
    }
    return renewed;
  }

  async checkKept(
    refs: readonly KeyRef[],
    renew: readonly boolean[],
    token: string,
    leaseMs: number,
  ): Promise<{ held: boolean; wanted: boolean }[]> {
    return refs.map((ref, i) => {
      const key = lockKeyOf(ref);
      const wanted = this.#wanted.has(key);
      if (!renew[i]) return { held: true, wanted };
      if (!this.#holds(ref, token)) return { held: false, wanted };
      this.#locks.set(key, { token, until: Date.now() + leaseMs });
      return { held: true, wanted };
    });
  }

  async compareAndSet(
    entry: Omit<TierWrite, 'version'>,
    expected: number | null,
    options: TierWriteOptions = {},
  ): Promise<WriteOutcome> {
    return this.#locked(entry, options, () => {
      const live = this.peek(entry.ref);
      if ((live?.version ?? null) !== expected) return { applied: false, version: 0 };
      return this.#writeOne(entry);
    });
  }

  async evictOlderThan(refs: readonly KeyRef[], versions: readonly number[]): Promise<void> {
    refs.forEach((ref, i) => {
      const slot = this.#slots.get(ref.redisKey);
      if (slot !== undefined && slot.version < versions[i]!) this.#slots.delete(ref.redisKey);
    });
  }

  async *scan(family: Family, pageSize = 500): AsyncIterable<KeyRef[]> {
    let page: KeyRef[] = [];
    for (const [redisKey, slot] of this.#slots.entries()) {
      if (slot.value === null || !family.ownsRedisKey(redisKey)) continue;
      page.push(family.keyFromStorage(redisKey.slice(redisKey.indexOf('}:') + 2)));
      if (page.length >= pageSize) {
        yield page;
        page = [];
      }
    }
    if (page.length > 0) yield page;
  }

  async ping(): Promise<number> {
    return 0;
  }

  /** Drop every entry (tests, local cache flush after a missed invalidation). */
  clear(): void {
    this.#slots.clear();
  }

  /** Drop one entry, tombstone or not. */
  drop(ref: KeyRef): void {
    this.#slots.delete(ref.redisKey);
  }

  #writeOne(entry: TierWrite): WriteOutcome {
    const stored = this.#slots.get(entry.ref.redisKey)?.version ?? 0;
    if (entry.version !== undefined && entry.version <= stored)
      return { applied: false, version: entry.version };
    const version = entry.version ?? nextVersion(stored);
    this.#slots.set(
      entry.ref.redisKey,
      { value: entry.value, version, expiresAt: entry.expiresAt },
      { ttl: entry.ttlMs },
    );
    return { applied: true, version };
  }
}
