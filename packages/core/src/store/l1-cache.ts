import type { KeyRef } from '../keyspace/family.ts';
import { MemoryTier } from '../tiers/memory-tier.ts';
import type { StoredEntry } from '../tiers/tier.ts';

/**
 * The optional process-memory L1, for families declared with `l1: { ttlMs }`. It is kept
 * current by this process's own reads and writes; writes made by other processes reach it
 * when its short TTL ends, or at once through the sync bus (`@hybridstate/sync`).
 */
export class L1Cache {
  readonly #tiers = new Map<string, MemoryTier>();
  readonly #changeListeners = new Set<(refs: readonly KeyRef[]) => void>();

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
    if (entry === null || ttlMs <= 0) {
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

  /** Report keys this process just wrote or deleted (only those of families with an L1). */
  changed(refs: readonly KeyRef[]): void {
    if (this.#changeListeners.size === 0) return;
    const cached = refs.filter((ref) => ref.family.l1 !== undefined);
    if (cached.length === 0) return;
    for (const listener of this.#changeListeners) listener(cached);
  }

  /** Hear about {@link changed} keys (the bus link tells other instances); returns the unsubscribe function. */
  onChanged(listener: (refs: readonly KeyRef[]) => void): () => void {
    this.#changeListeners.add(listener);
    return () => {
      this.#changeListeners.delete(listener);
    };
  }

  /** Drop everything (invalidations may have been missed). */
  clear(): void {
    for (const tier of this.#tiers.values()) tier.clear();
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
