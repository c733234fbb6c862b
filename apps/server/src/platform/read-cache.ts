/** Options of {@link ReadCache}. */
export interface ReadCacheOptions {
  /** How long a value is served without an event. @default 60_000 (seed 002's 60 s) */
  readonly ttlMs?: number;
  /** Most entries kept; the oldest go first. @default 10_000 */
  readonly maxEntries?: number;
}

/** Defaults of {@link ReadCacheOptions}. */
export const READ_CACHE_DEFAULTS = { ttlMs: 60_000, maxEntries: 10_000 } as const;

interface Entry {
  readonly value: unknown;
  readonly expiresAt: number;
}

/**
 * The API's in-process read cache: values loaded from PostgreSQL, kept until their TTL or
 * until a sync event drops them (`drop(prefix)`, wired by the platform on every instance).
 * A load that started before a drop is not stored, so a change committed during a read can
 * never be cached as current.
 */
export class ReadCache {
  readonly #entries = new Map<string, Entry>();
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  #generation = 0;

  constructor(options: ReadCacheOptions = {}) {
    this.#ttlMs = options.ttlMs ?? READ_CACHE_DEFAULTS.ttlMs;
    this.#maxEntries = options.maxEntries ?? READ_CACHE_DEFAULTS.maxEntries;
  }

  /** The cached value of `key`, else `load()`'s (stored unless a drop happened meanwhile). */
  async get<T>(key: string, load: () => Promise<T>): Promise<T> {
    const entry = this.#entries.get(key);
    if (entry !== undefined && entry.expiresAt > Date.now()) return entry.value as T;
    const generation = this.#generation;
    const value = await load();
    if (generation === this.#generation) this.#set(key, value);
    return value;
  }

  /** Drop every key starting with `prefix`. */
  drop(prefix: string): void {
    this.#generation++;
    for (const key of this.#entries.keys()) if (key.startsWith(prefix)) this.#entries.delete(key);
  }

  /** Drop everything (events may have been missed). */
  clear(): void {
    this.#generation++;
    this.#entries.clear();
  }

  #set(key: string, value: unknown): void {
    this.#entries.delete(key);
    if (this.#entries.size >= this.#maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    this.#entries.set(key, { value, expiresAt: Date.now() + this.#ttlMs });
  }
}
