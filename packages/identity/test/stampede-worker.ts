/** One instance of the web app in its own process: many concurrent getOrSet of one hot key. */
import { createRedisClient, Keyspace, pgSqlClient } from '@hybridstate/core';
import pg from 'pg';
import { createAppStack } from '../src/index.ts';

const env = process.env as Record<string, string>;
const redis = await createRedisClient(env.REDIS_URL!);
const pool = new pg.Pool({ connectionString: env.DATABASE_URL, max: 2 });
const stack = createAppStack('web', {
  sql: pgSqlClient(pool),
  redis,
  keyspace: new Keyspace({ prefix: env.KEY_PREFIX! }),
  schemaPrefix: env.SCHEMA_PREFIX!,
  contexts: JSON.parse(env.CONTEXTS!),
});
const loader = async () => {
  await redis.incr(env.COUNTER_KEY!);
  await new Promise((resolve) => setTimeout(resolve, 200));
  return { rate: 42, by: process.pid };
};
// A barrier: every process starts its reads within a few ms of the others, however slowly
// each one booted (a clock deadline was missed on a loaded machine).
await redis.incr(env.BARRIER_KEY!);
const waitingSince = Date.now();
while (Number(await redis.get(env.BARRIER_KEY!)) < Number(env.PROCESSES)) {
  if (Date.now() - waitingSince > 60_000) throw new Error('the other processes never started');
  await new Promise((resolve) => setTimeout(resolve, 2));
}
const values = await Promise.all(
  Array.from({ length: 20 }, () => stack.cache.getOrSet('rates', 'hot', loader)),
);
stack.close();
redis.disconnect();
await pool.end();
process.stdout.write(JSON.stringify({ values }));
