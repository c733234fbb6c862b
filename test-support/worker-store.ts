import pg from 'pg';
import {
  connectRedis,
  createTieredStore,
  type Keyspace,
  loadRedisConfig,
  PostgresTier,
  pgSqlClient,
  type RedisClient,
  RedisTier,
  type TieredStore,
  type WriteBehindOptions,
} from '../packages/core/src/index.ts';

/** A store opened by a test's child process from TEST_* and HS_SCHEMA, with its own connections. */
export interface WorkerStore {
  readonly store: TieredStore;
  close(): Promise<void>;
}

/**
 * Connect to the Redis the parent names: TEST_REDIS_URL (a Redis Cluster with `?cluster=true`
 * on it), or REDIS_CLUSTER_NODES (`host:port,...`) when set, which wins as in `loadConfig`.
 * HS_REDIS_COMMAND_TIMEOUT_MS overrides the per-command timeout, for tests about correctness
 * rather than latency on a loaded machine.
 */
export async function connectWorkerRedis(env = process.env): Promise<RedisClient> {
  const config = loadRedisConfig({
    REDIS_URL: env.TEST_REDIS_URL,
    REDIS_CLUSTER_NODES: env.REDIS_CLUSTER_NODES,
  });
  if (config.mode !== 'redis')
    throw new Error('a worker needs TEST_REDIS_URL or REDIS_CLUSTER_NODES from its parent');
  const timeout = env.HS_REDIS_COMMAND_TIMEOUT_MS;
  return connectRedis(config, timeout === undefined ? {} : { commandTimeout: Number(timeout) });
}

/** Open the store a worker process uses: real Redis and PostgreSQL named by the parent. */
export async function openWorkerStore(
  keyspace: Keyspace,
  writeBehind?: WriteBehindOptions,
): Promise<WorkerStore> {
  const env = process.env;
  const pool = new pg.Pool({ connectionString: env.TEST_DATABASE_URL!, max: 4 });
  const redis = await connectWorkerRedis(env);
  const store = await createTieredStore({
    keyspace,
    cache: new RedisTier(redis),
    postgres: new PostgresTier(pgSqlClient(pool), { schema: env.HS_SCHEMA! }),
    sweepIntervalMs: 0,
    ...(writeBehind === undefined ? {} : { writeBehind }),
  });
  return {
    store,
    async close() {
      await store.close();
      redis.disconnect();
      await pool.end();
    },
  };
}
