/**
 * Helpers for integration tests: connections to the real Redis and PostgreSQL named by
 * TEST_REDIS_URL / TEST_DATABASE_URL (default: the local servers), isolated per test file
 * with a unique key prefix and PostgreSQL schema, and throwaway redis-server processes.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import {
  createRedisClient,
  createTieredStore,
  Keyspace,
  PostgresTier,
  pgSqlClient,
  RedisTier,
  type SqlClient,
  type TieredStore,
  type TieredStoreOptions,
} from '../packages/core/src/index.ts';

export { type PostgresServer, startPostgresServer } from './postgres-server.ts';
export { freePort, type RedisServer, startRedisServer } from './redis-server.ts';
export { startTcpProxy, type TcpProxy } from './tcp-proxy.ts';
export { runWorker } from './workers.ts';

/** Redis the tests use. */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** PostgreSQL the tests use. */
export const TEST_DATABASE_URL =
  process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A short random id for prefixes and schema names. */
export function uniqueId(label = 't'): string {
  return `${label}${randomBytes(5).toString('hex')}`;
}

/** A keyspace with a prefix no other test run uses. */
export function testKeyspace(shards?: number): Keyspace {
  return new Keyspace({ prefix: uniqueId('t'), ...(shards === undefined ? {} : { shards }) });
}

/** A PostgreSQL pool and a schema of its own, dropped by `cleanup`. */
export interface TestPostgres {
  readonly pool: pg.Pool;
  readonly sql: SqlClient;
  readonly schema: string;
  readonly tier: PostgresTier;
  cleanup(): Promise<void>;
}

/** Connect to the test database and migrate a fresh schema. */
export async function testPostgres(url = TEST_DATABASE_URL): Promise<TestPostgres> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  pool.on('error', () => undefined);
  const schema = uniqueId('hs_t_');
  const sql = pgSqlClient(pool);
  const tier = new PostgresTier(sql, { schema });
  await tier.migrate();
  return {
    pool,
    sql,
    schema,
    tier,
    async cleanup() {
      await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
      await pool.end();
    },
  };
}

/** A connected ioredis client with the project's bounded-call defaults. */
export async function testRedis(url = TEST_REDIS_URL) {
  return createRedisClient(url);
}

/** Delete every key of a test keyspace (SCAN, never KEYS). */
export async function dropKeyspace(
  redis: import('ioredis').Redis,
  keyspace: Keyspace,
): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `{${keyspace.prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
}

/** A tiered store on the test Redis and a fresh PostgreSQL schema, torn down by `cleanup`. */
export interface TestStack {
  readonly pg: TestPostgres;
  readonly redis: import('ioredis').Redis;
  readonly keyspace: Keyspace;
  readonly store: TieredStore;
  /** Close the store, drop its Redis keys and PostgreSQL schema, disconnect. */
  cleanup(): Promise<void>;
}

/**
 * Open the store most integration tests use: Redis cache (TEST_REDIS_URL unless `redisUrl`
 * names a throwaway server), PostgreSQL truth in its own schema, no background sweep.
 * Declare families on `keyspace` before calling, or pass none for a fresh test keyspace.
 */
export async function testStack(
  options: {
    keyspace?: Keyspace;
    redisUrl?: string;
    store?: Partial<Omit<TieredStoreOptions, 'keyspace' | 'cache' | 'postgres'>>;
  } = {},
): Promise<TestStack> {
  const keyspace = options.keyspace ?? testKeyspace();
  const pg = await testPostgres();
  const redis = await createRedisClient(options.redisUrl ?? TEST_REDIS_URL);
  const store = await createTieredStore({
    keyspace,
    cache: new RedisTier(redis),
    postgres: pg.tier,
    sweepIntervalMs: 0,
    ...options.store,
  });
  return {
    pg,
    redis,
    keyspace,
    store,
    async cleanup() {
      await store.close();
      if (redis.status === 'ready') await dropKeyspace(redis, keyspace).catch(() => undefined);
      redis.disconnect();
      await pg.cleanup();
    },
  };
}
