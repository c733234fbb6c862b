/**
 * Child process for the multi-process update test: runs HS_COUNT concurrent increments of one
 * key through its own store (own connections), then prints how many it acknowledged.
 */
import pg from 'pg';
import {
  createRedisClient,
  createTieredStore,
  Keyspace,
  PostgresTier,
  pgSqlClient,
  RedisTier,
} from '../../src/index.ts';

const env = process.env;
const durability = env.HS_DURABILITY === 'ephemeral' ? 'ephemeral' : 'durable';
const keyspace = new Keyspace({ prefix: env.HS_PREFIX! });
const counter = keyspace.family({
  name: 'counter',
  key: 'counter:{id}',
  durability,
  ttlMs: 600_000,
});
const pool = new pg.Pool({ connectionString: env.TEST_DATABASE_URL!, max: 4 });
const redis = await createRedisClient(env.TEST_REDIS_URL!);
const store = await createTieredStore({
  keyspace,
  cache: new RedisTier(redis),
  postgres: new PostgresTier(pgSqlClient(pool), { schema: env.HS_SCHEMA! }),
  sweepIntervalMs: 0,
});

const ref = counter.key({ id: env.HS_ID! });
const count = Number(env.HS_COUNT);
const results = await Promise.allSettled(
  Array.from({ length: count }, () =>
    store.update(ref, (n: unknown) => ((n as number | undefined) ?? 0) + 1),
  ),
);
const acknowledged = results.filter((r) => r.status === 'fulfilled').length;
const failures = results.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : []));
process.stdout.write(JSON.stringify({ acknowledged, failures: failures.slice(0, 3) }));
await store.close();
redis.disconnect();
await pool.end();
