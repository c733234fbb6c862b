/** Options of an application cache. */
export interface ApplicationCacheOptions {
  /** Entries kept in process memory (L1) per stack. @default 10000 */
  readonly maxLocalEntries?: number;
  /** Lease of the cross-process fill lock: the longest a loader is expected to run. @default 10000 */
  readonly fillLeaseMs?: number;
  /** After a loader fails and a stale value is served, wait this long before trying again. @default 5000 */
  readonly retryAfterFailureMs?: number;
}

/** Defaults of {@link ApplicationCacheOptions}. */
export const APPLICATION_CACHE_DEFAULTS = {
  maxLocalEntries: 10_000,
  fillLeaseMs: 10_000,
  retryAfterFailureMs: 5_000,
} as const;

/** Per-call options of `getOrSet` and `set`. */
export interface CacheWriteOptions {
  /** Tags to invalidate the entry by, 1-128 of `[A-Za-z0-9_.:-]` each. */
  readonly tags?: readonly string[];
  /** Override the cache's TTL for this entry (at most the declared TTL plus grace). */
  readonly ttlMs?: number;
}
