import pg from 'pg';
import {
  createRedisClient,
  createTieredStore,
  type Keyspace,
  PostgresTier,
  pgSqlClient,
  RedisTier,
  type TieredStore,
  type WriteBehindOptions,
} from '../packages/core/src/index.ts';

/** A store opened by a test's child process from TEST_* and HS_SCHEMA, with its own connections. */
export interface WorkerStore {
  readonly store: TieredStore;
  close(): Promise<void>;
}

/** Open the store a worker process uses: real Redis and PostgreSQL named by the parent. */
export async function openWorkerStore(
  keyspace: Keyspace,
  writeBehind?: WriteBehindOptions,
): Promise<WorkerStore> {
  const env = process.env;
  const pool = new pg.Pool({ connectionString: env.TEST_DATABASE_URL!, max: 4 });
  const redis = await createRedisClient(env.TEST_REDIS_URL!);
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
