import { hsError } from '../errors.ts';

/** Options of `TieredStore.lock`. */
export interface LockOptions {
  /**
   * How long a lock outlives a holder that died; renewed every third of it while held. A
   * crashed holder never blocks a key longer than this. @default 10_000
   */
  readonly leaseMs?: number;
  /** Give up with `HS_LOCK_TIMEOUT` after waiting this long. @default 30_000 */
  readonly waitMs?: number;
  /**
   * Keep the Redis lease after `commit`/`release` for this long while the key is idle, with
   * this process's copy of the key: the next `lock()` of the key here reads nothing from Redis,
   * and its commit is one fenced compare-and-set that renews the lease. A contender marks the
   * key as wanted and gets it after the holder's next write, or within 100 ms when idle. 0
   * releases at once. Every write to a kept key must then go through a lock (or this store,
   * which drops its copy); a write from elsewhere makes the holder's next commit fail with
   * `HS_LOCK_LOST` instead of overwriting it. @default 0
   */
  readonly keepMs?: number;
}

/** Defaults of {@link LockOptions}. */
export const LOCK_DEFAULTS = { leaseMs: 10_000, waitMs: 30_000, keepMs: 0 } as const;

/** Validated lease and keep of a lock. */
export function lockSettings(options: LockOptions): { leaseMs: number; keepMs: number } {
  const leaseMs = options.leaseMs ?? LOCK_DEFAULTS.leaseMs;
  if (!Number.isSafeInteger(leaseMs) || leaseMs < 1000) {
    throw hsError(
      'HS_CONFIG_INVALID',
      `lock() leaseMs must be a whole number of at least 1000 ms (it is renewed every third of it), got ${leaseMs}.`,
      { leaseMs },
    );
  }
  const keepMs = options.keepMs ?? LOCK_DEFAULTS.keepMs;
  if (!Number.isSafeInteger(keepMs) || keepMs < 0) {
    throw hsError(
      'HS_CONFIG_INVALID',
      `lock() keepMs must be a whole number of ms, 0 or more, got ${keepMs}.`,
      { keepMs },
    );
  }
  return { leaseMs, keepMs };
}
