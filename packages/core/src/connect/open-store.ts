import type { HybridStateConfig } from '../config/load-config.ts';
import type { Keyspace } from '../keyspace/keyspace.ts';
import { type Logger, silentLogger } from '../logger.ts';
import type { SqlClient } from '../sql/sql-client.ts';
import { REPLICA_ACK_TIMEOUT_MS } from '../store/replica-waiter.ts';
import type { TieredStoreOptions } from '../store/store-options.ts';
import { createTieredStore, type TieredStore } from '../store/tiered-store.ts';
import { MemoryTier } from '../tiers/memory-tier.ts';
import { PostgresTier, type PostgresTierOptions } from '../tiers/postgres-tier.ts';
import { type RedisClient, RedisTier } from '../tiers/redis-tier.ts';
import type { CacheTier } from '../tiers/tier.ts';
import { openPostgres } from './postgres-client.ts';
import { connectRedis } from './redis-client.ts';

/** A store with the connections opened for it. */
export interface OpenedStore {
  readonly store: TieredStore;
  /**
   * The SQL connection the store uses, for the application's own tables: share it (PGlite
   * serves a single connection). Closed by `close`.
   */
  readonly sql: SqlClient;
  /** The Redis client the store uses, when Redis is configured (share it; closed by `close`). */
  readonly redis: RedisClient | undefined;
  /** Stop the store and close its connections. */
  close(): Promise<void>;
}

/** What `openStore` asks of buffered writes on a Redis Cluster (see `replicaAcks`). */
export const CLUSTER_REPLICA_ACKS = { replicas: 1, timeoutMs: 100 } as const;

/** Options of {@link openStore}. */
export type OpenStoreOptions = Omit<
  TieredStoreOptions,
  'keyspace' | 'cache' | 'postgres' | 'sources' | 'logger'
> & {
  readonly postgresTier?: PostgresTierOptions;
};

/**
 * Open the connections a configuration names and build a started {@link TieredStore}:
 * Redis or process memory, PostgreSQL or PGlite. For apps, examples and the CLI.
 *
 * @example
 * ```ts
 * const { store, close } = await openStore(loadConfig(appEnvironment), keyspace, logger);
 * ```
 */
export async function openStore(
  config: HybridStateConfig,
  keyspace: Keyspace,
  logger: Logger = silentLogger,
  options: OpenStoreOptions = {},
): Promise<OpenedStore> {
  const sql = await openPostgres(config.postgres);
  const redis = config.redis.mode === 'redis' ? await connectRedis(config.redis) : undefined;
  const cache: CacheTier = redis === undefined ? new MemoryTier() : new RedisTier(redis);
  const { postgresTier, ...storeOptions } = options;
  // On a cluster every master has a replica to fail over to: acknowledge buffered writes once
  // one holds them (or PostgreSQL does), so a failover cannot take them away.
  const replicaAcks =
    storeOptions.replicaAcks ??
    (config.redis.mode === 'redis' && config.redis.cluster !== undefined
      ? CLUSTER_REPLICA_ACKS
      : undefined);
  if (replicaAcks !== undefined && replicaAcks.replicas > 0)
    logger.info(
      { replicaAcks },
      `Redis: buffered writes are acknowledged once ${replicaAcks.replicas} replica(s) hold them (WAIT, ${replicaAcks.timeoutMs ?? REPLICA_ACK_TIMEOUT_MS} ms; else copied to PostgreSQL first)`,
    );
  try {
    const store = await createTieredStore({
      ...storeOptions,
      ...(replicaAcks === undefined ? {} : { replicaAcks }),
      keyspace,
      cache,
      postgres: new PostgresTier(sql.sql, postgresTier),
      sources: { redis: config.redis.source, postgres: config.postgres.source },
      logger,
    });
    return {
      store,
      sql: sql.sql,
      redis,
      async close() {
        await store.close();
        redis?.disconnect();
        await sql.close();
      },
    };
  } catch (error) {
    redis?.disconnect();
    await sql.close();
    throw error;
  }
}
