import type { KeyRef } from '../keyspace/family.ts';
import { MemoryTier } from '../tiers/memory-tier.ts';
import type { StoredEntry } from '../tiers/tier.ts';
import { L1VersionFloors } from './l1-version-floors.ts';

/** A key this process wrote or deleted, at the version it stored. */
export interface L1Change {
  readonly ref: KeyRef;
  readonly version: number;
}

/**
 * The optional process-memory L1, for families declared with `l1: { ttlMs }`. It is kept
 * current by this process's own reads and writes; writes made by other processes reach it
 * when its short TTL ends, or at once through the sync bus (`@hybridstate/sync`).
 */
export class L1Cache {
  readonly #tiers = new Map<string, MemoryTier>();
  readonly #floors = new L1VersionFloors();
  readonly #changeListeners = new Set<(changes: readonly L1Change[]) => void>();

  /** The cached entry, or `null` (also for families without L1). */
  peek(ref: KeyRef): StoredEntry | null {
    return ref.family.l1 === undefined
      ? null
      : (this.#tiers.get(ref.family.name)?.peek(ref) ?? null);
  }

  /** Remember what a read or write saw; `null` forgets. */
  remember(ref: KeyRef, entry: StoredEntry | null): void {
    const l1 = ref.family.l1;
    if (l1 === undefined) return;
    const lifetime = entry?.expiresAt == null ? l1.ttlMs : entry.expiresAt - Date.now();
    const ttlMs = Math.min(l1.ttlMs, lifetime);
    if (entry === null || ttlMs <= 0 || this.#floors.isBelow(ref, entry.version)) {
      this.forget(ref);
      return;
    }
    void this.#tier(ref, l1.maxEntries).write([
      { ref, value: entry.value, expiresAt: entry.expiresAt, ttlMs, version: entry.version },
    ]);
  }

  /** Drop one key (a write is under way, or another process changed it). */
  forget(ref: KeyRef): void {
    this.#tiers.get(ref.family.name)?.drop(ref);
  }

  /**
   * Another instance stored `version` of this key: drop the copy, and for the family's L1 TTL
   * refuse older versions that a read already in flight may bring back.
   */
  forgetBelow(ref: KeyRef, version: number): void {
    this.forget(ref);
    if (ref.family.l1 !== undefined) this.#floors.raise(ref, version, ref.family.l1.ttlMs);
  }

  /** True when someone hears about {@link changed} keys (callers skip building the list otherwise). */
  get heard(): boolean {
    return this.#changeListeners.size > 0;
  }

  /** Report keys this process just wrote or deleted (only those of families with an L1). */
  changed(changes: readonly L1Change[]): void {
    if (this.#changeListeners.size === 0) return;
    const cached = changes.filter((change) => change.ref.family.l1 !== undefined);
    if (cached.length === 0) return;
    for (const listener of this.#changeListeners) listener(cached);
  }

  /** Hear about {@link changed} keys (the bus link tells other instances); returns the unsubscribe function. */
  onChanged(listener: (changes: readonly L1Change[]) => void): () => void {
    this.#changeListeners.add(listener);
    return () => {
      this.#changeListeners.delete(listener);
    };
  }

  /** Drop everything (invalidations may have been missed). */
  clear(): void {
    for (const tier of this.#tiers.values()) tier.clear();
    this.#floors.clear();
  }

  #tier(ref: KeyRef, maxEntries: number): MemoryTier {
    let tier = this.#tiers.get(ref.family.name);
    if (tier === undefined) {
      tier = new MemoryTier({ maxEntries });
      this.#tiers.set(ref.family.name, tier);
    }
    return tier;
  }
}
