/**
 * Child process for the write-behind crash tests. Writes HS_COUNT buffered values (one per
 * key), prints the acknowledged values as one JSON line, then either flushes (printing
 * FLUSHING first, so the parent can SIGKILL it mid-flush) or waits for SIGTERM and closes.
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
const keyspace = new Keyspace({ prefix: env.HS_PREFIX!, shards: 4 });
const memory = keyspace.family({
  name: 'user_memory',
  key: 'user_memory:{userId}',
  durability: 'buffered',
});
const pool = new pg.Pool({ connectionString: env.TEST_DATABASE_URL!, max: 4 });
const redis = await createRedisClient(env.TEST_REDIS_URL!);
const store = await createTieredStore({
  keyspace,
  cache: new RedisTier(redis),
  postgres: new PostgresTier(pgSqlClient(pool), { schema: env.HS_SCHEMA! }),
  sweepIntervalMs: 0,
  writeBehind: {
    flushIntervalMs: 3_600_000,
    pollMs: 3_600_000,
    batchSize: Number(env.HS_BATCH ?? 500),
  },
});

const count = Number(env.HS_COUNT);
const acked: Record<string, number> = {};
let next = 0;
await Promise.all(
  Array.from({ length: 32 }, async () => {
    for (let i = next++; i < count; i = next++) {
      await store.set(memory.key({ userId: `u${i}` }), i);
      acked[`u${i}`] = i;
    }
  }),
);
process.stdout.write(`${JSON.stringify({ acked })}\n`);

if (env.HS_MODE === 'flush') {
  process.stdout.write('FLUSHING\n');
  await store.flush();
  process.stdout.write('FLUSHED\n');
  process.exit(0);
} else {
  process.once('SIGTERM', async () => {
    await store.close();
    process.stdout.write('CLOSED\n');
    process.exit(0);
  });
  process.stdout.write('READY\n');
}
