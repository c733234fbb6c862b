import type { CacheEntry } from './cache-entry.ts';

/** An L1 entry: the decoded value, its lifetimes, and when a failed loader may run again. */
export interface LocalEntry extends CacheEntry {
  /** After a loader failure, serve the stale value until then without calling it. */
  readonly retryAt: number;
}

/**
 * The in-process L1 of an application cache: a Map in insertion order, capped at
 * `maxEntries` (the oldest goes first). Values are shared, not copied: treat them as
 * read-only. Kept coherent across instances by the bus (see ApplicationCache).
 */
export class LocalCache {
  readonly #entries = new Map<string, LocalEntry>();
  readonly #maxEntries: number;

  constructor(maxEntries: number) {
    this.#maxEntries = maxEntries;
  }

  /** The entry, or `undefined`; drops it once even its grace has run out. */
  get(key: string, now: number): LocalEntry | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined || entry.staleUntil > now) return entry;
    this.#entries.delete(key);
    return undefined;
  }

  /** Store an entry, evicting the oldest beyond the cap. */
  set(key: string, entry: LocalEntry): void {
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    if (this.#entries.size > this.#maxEntries) {
      this.#entries.delete(this.#entries.keys().next().value as string);
    }
  }

  /** Drop the entries whose key passes `test`. */
  deleteWhere(test: (key: string, entry: LocalEntry) => boolean): void {
    for (const [key, entry] of this.#entries) if (test(key, entry)) this.#entries.delete(key);
  }

  /** Drop one entry. */
  delete(key: string): void {
    this.#entries.delete(key);
  }

  /** Drop everything (after the bus may have missed messages). */
  clear(): void {
    this.#entries.clear();
  }

  /** Number of entries. */
  get size(): number {
    return this.#entries.size;
  }
}
