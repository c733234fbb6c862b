import { hostname } from 'node:os';
import { hsError } from '../errors.ts';

/** Options of the write-behind flusher (buffered families). */
export interface WriteBehindOptions {
  /** Every shard is flushed at least this often (seed 003: every 5 minutes). @default 300_000 */
  readonly flushIntervalMs?: number;
  /** Journal entries per PostgreSQL statement. @default 1000 */
  readonly batchSize?: number;
  /** How often shard deadlines are checked. @default 250 */
  readonly pollMs?: number;
  /** A pending entry idle this long belongs to a flusher presumed dead and is taken over. @default 30_000 */
  readonly claimIdleMs?: number;
  /** Flush a key at least this long before its Redis copy expires (capped at half its TTL). @default 1000 */
  readonly safetyMarginMs?: number;
  /** Per-command timeout of the flusher's own Redis connection (large journal reads). @default 5000 */
  readonly bulkCommandTimeoutMs?: number;
  /** Longest wait between retries while PostgreSQL is down. @default 30_000 */
  readonly maxRetryDelayMs?: number;
  /** This flusher's consumer name in the group; unique per process. @default host-pid-random */
  readonly consumer?: string;
  /** Set false in processes that write but must not flush. @default true */
  readonly enabled?: boolean;
}

/** Defaults of {@link WriteBehindOptions}. */
export const WRITE_BEHIND_DEFAULTS = {
  flushIntervalMs: 300_000,
  batchSize: 1000,
  pollMs: 250,
  claimIdleMs: 30_000,
  safetyMarginMs: 1000,
  maxRetryDelayMs: 30_000,
  bulkCommandTimeoutMs: 5000,
  enabled: true,
} as const;

/** Options with defaults applied. */
export type ResolvedWriteBehindOptions = Required<WriteBehindOptions>;

/** Apply defaults and check the options once. */
export function resolveWriteBehindOptions(
  options: WriteBehindOptions = {},
): ResolvedWriteBehindOptions {
  const resolved: ResolvedWriteBehindOptions = {
    ...WRITE_BEHIND_DEFAULTS,
    consumer: `${hostname()}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`,
    ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)),
  };
  for (const name of [
    'flushIntervalMs',
    'batchSize',
    'pollMs',
    'claimIdleMs',
    'safetyMarginMs',
    'maxRetryDelayMs',
  ] as const) {
    if (!Number.isSafeInteger(resolved[name]) || resolved[name] <= 0) {
      throw hsError(
        'HS_CONFIG_INVALID',
        `writeBehind.${name} must be a positive whole number, got ${resolved[name]}.`,
        { option: name },
      );
    }
  }
  return Object.freeze(resolved);
}

/** Epoch ms by which a buffered write must reach PostgreSQL. */
export function flushDeadline(
  now: number,
  copyTtlMs: number,
  options: ResolvedWriteBehindOptions,
): number {
  const margin = Math.min(options.safetyMarginMs, copyTtlMs / 2);
  return now + Math.min(options.flushIntervalMs, Math.max(0, copyTtlMs - margin));
}
