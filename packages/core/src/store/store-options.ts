import type { MessageBus } from '../bus/message-bus.ts';
import { hsError } from '../errors.ts';
import type { Keyspace } from '../keyspace/keyspace.ts';
import type { Logger } from '../logger.ts';
import type { StoreObserver } from '../observe/store-observer.ts';
import type { PostgresTier } from '../tiers/postgres-tier.ts';
import type { CacheTier } from '../tiers/tier.ts';
import type { WriteBehindOptions } from '../write-behind/write-behind-options.ts';

/** Options of `TieredStore`. */
export interface TieredStoreOptions {
  /** The registry every key must come from. */
  readonly keyspace: Keyspace;
  /** The fast tier: a `RedisTier`, or a `MemoryTier` in embedded mode. */
  readonly cache: CacheTier;
  /** The durable tier. Required when the keyspace declares durable families. */
  readonly postgres?: PostgresTier;
  /** Where each tier's settings came from, echoed by `health()`. */
  readonly sources?: { readonly redis?: string; readonly postgres?: string };
  /** @default silentLogger */
  readonly logger?: Logger;
  /** Largest encoded value, in bytes. @default 1_048_576 (1 MiB) */
  readonly maxValueBytes?: number;
  /** How long deletions are remembered, so a late older write cannot bring a value back. @default 600_000 (10 min) */
  readonly tombstoneTtlMs?: number;
  /** Attempts of `update()` before `HS_UPDATE_CONFLICT`. @default 100 */
  readonly updateMaxAttempts?: number;
  /** How often expired PostgreSQL rows are deleted; 0 turns the sweeper off. @default 60_000 */
  readonly sweepIntervalMs?: number;
  /** Entries kept in memory for ephemeral data while Redis is down. @default 10_000 */
  readonly fallbackMaxEntries?: number;
  /** Consecutive failures that open a tier's circuit. @default 2 */
  readonly failureThreshold?: number;
  /** First delay before probing an open circuit. @default 250 */
  readonly probeDelayMs?: number;
  /**
   * While Redis is down, `lock()` holds a PostgreSQL connection per holder for its advisory
   * locks (and needs another for reads and writes): at most this many holders at once. Keep it
   * below half the pool size. @default 2
   */
  readonly postgresLockSlots?: number;
  /** The write-behind flusher of buffered families (see `WriteBehindOptions`). */
  readonly writeBehind?: WriteBehindOptions;
  /** Told about tier calls, hits and misses, circuit changes (metrics). @default none */
  readonly observer?: StoreObserver;
  /**
   * Keeps the memory L1 of families declared with `l1` current on every instance: writes and
   * deletes are announced on it, other instances forget those keys, and a bus resync clears
   * the L1. Without it, other instances' writes reach an L1 only when its `l1.ttlMs` ends.
   */
  readonly bus?: MessageBus;
  /**
   * Acknowledge a buffered write only once this many Redis replicas hold it (Redis `WAIT` on
   * the master that took it); a write they do not confirm within `timeoutMs` is copied to
   * PostgreSQL before the call returns. Redis replicates asynchronously, so without this a
   * failover loses what the old master acknowledged but had not yet sent to its replica.
   * `openStore` turns it on for a Redis Cluster (1 replica, 100 ms). @default off
   */
  readonly replicaAcks?: ReplicaAcks;
}

/** See {@link TieredStoreOptions.replicaAcks}. */
export interface ReplicaAcks {
  /** Replicas that must hold a write. */
  readonly replicas: number;
  /** How long to wait for them before copying the write to PostgreSQL. @default 100 */
  readonly timeoutMs?: number;
}

/** Defaults of {@link TieredStoreOptions}. */
export const STORE_DEFAULTS = {
  maxValueBytes: 1_048_576,
  tombstoneTtlMs: 600_000,
  updateMaxAttempts: 100,
  sweepIntervalMs: 60_000,
  fallbackMaxEntries: 10_000,
  failureThreshold: 2,
  probeDelayMs: 250,
  postgresLockSlots: 2,
} as const;

/** Options with every default applied. */
export type ResolvedStoreOptions = Required<
  Omit<
    TieredStoreOptions,
    'postgres' | 'sources' | 'writeBehind' | 'observer' | 'bus' | 'replicaAcks'
  >
> &
  Pick<
    TieredStoreOptions,
    'postgres' | 'sources' | 'writeBehind' | 'observer' | 'bus' | 'replicaAcks'
  >;

/** Apply defaults and check the options once, at construction. */
export function resolveStoreOptions(
  options: TieredStoreOptions,
  logger: Logger,
): Readonly<ResolvedStoreOptions> {
  const resolved = {
    ...STORE_DEFAULTS,
    logger,
    ...stripUndefined(options),
  } as ResolvedStoreOptions;
  for (const name of [
    'maxValueBytes',
    'tombstoneTtlMs',
    'updateMaxAttempts',
    'fallbackMaxEntries',
    'failureThreshold',
    'probeDelayMs',
    'postgresLockSlots',
  ] as const) {
    const value = resolved[name];
    if (!Number.isSafeInteger(value) || value <= 0)
      throw hsError(
        'HS_CONFIG_INVALID',
        `Store option ${name} must be a positive whole number, got ${value}.`,
        { option: name },
      );
  }
  if (!Number.isSafeInteger(resolved.sweepIntervalMs) || resolved.sweepIntervalMs < 0) {
    throw hsError(
      'HS_CONFIG_INVALID',
      `Store option sweepIntervalMs must be 0 (off) or a positive whole number, got ${resolved.sweepIntervalMs}.`,
      { option: 'sweepIntervalMs' },
    );
  }
  const acks = options.replicaAcks;
  if (
    acks !== undefined &&
    (!Number.isSafeInteger(acks.replicas) ||
      acks.replicas < 0 ||
      (acks.timeoutMs !== undefined &&
        (!Number.isSafeInteger(acks.timeoutMs) || acks.timeoutMs <= 0)))
  ) {
    throw hsError(
      'HS_CONFIG_INVALID',
      `Store option replicaAcks needs a whole number of replicas (0 or more) and a positive timeoutMs, got ${JSON.stringify(acks)}.`,
      { option: 'replicaAcks' },
    );
  }
  const durable = options.keyspace.families().filter((f) => f.durability !== 'ephemeral');
  if (durable.length > 0 && options.postgres === undefined) {
    throw hsError(
      'HS_CONFIG_INVALID',
      `Families ${durable.map((f) => f.name).join(', ')} are durable or buffered, so the store needs a postgres tier.`,
      {},
    );
  }
  return Object.freeze(resolved);
}

function stripUndefined<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(options).filter(([, v]) => v !== undefined),
  ) as Partial<T>;
}
