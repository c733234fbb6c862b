/**
 * `npm run bench -- identity`: identity session get on a Redis hit (against one raw ioredis
 * GET of a value the same size) and on a PostgreSQL fallback (against one raw pg SELECT by
 * primary key), and ApplicationCache getOrSet hits against BentoCache's getOrSet (both with a
 * memory L1 over Redis), all in the same run.
 */
import { createRedisClient, Keyspace, pgSqlClient } from '@hybridstate/core';
import { createAppStack, DEFAULT_CONTEXTS, migrateIdentity } from '@hybridstate/identity';
import { BentoCache, bentostore } from 'bentocache';
import { memoryDriver } from 'bentocache/drivers/memory';
import { redisDriver } from 'bentocache/drivers/redis';
import pg from 'pg';
import { compareLatency, hotLoop, Report } from './lib/measure.ts';
import { DATABASE_URL, dropPrefix, REDIS_URL } from './lib/servers.ts';

const report = new Report('identity');
const schemaPrefix = `bench${process.pid}_`;
const keyspace = new Keyspace({ prefix: `bench${process.pid}` });
const redis = await createRedisClient(REDIS_URL);
const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 10 });
const sql = pgSqlClient(pool);
await migrateIdentity({ sql, schemaPrefix });
const web = createAppStack('web', { sql, redis, keyspace, schemaPrefix });
const [user] = await sql.query<{ id: string }>(
  `INSERT INTO "${schemaPrefix}identity".users (email) VALUES ('bench@example.com') RETURNING id`,
);
const data = { theme: 'dark', cart: [1, 2, 3], locale: 'uk' };

// --- session get, Redis hit
const { id } = await web.sessions.create(user!.id, data);
const rawKey = `{${keyspace.prefix}:0}:raw-session`;
const rawValue = (await redis.keys(`{${keyspace.prefix}:*}:identity:session:web:*`)).length
  ? await redis.get((await redis.keys(`{${keyspace.prefix}:*}:identity:session:web:*`))[0]!)
  : '';
await redis.set(rawKey, rawValue ?? '');
const hit = await compareLatency(
  { hybridstate: () => web.sessions.get(id), ioredis: () => redis.get(rawKey) },
  5000,
  5,
);
for (const [impl, r] of Object.entries(hit)) {
  report.add({ case: 'session get, Redis hit', impl, metric: 'p50_us', value: r.p50, unit: 'us' });
  report.add({ case: 'session get, Redis hit', impl, metric: 'p99_us', value: r.p99, unit: 'us' });
}
report.ratio(
  'session get p50 / raw GET p50 (target <= 1.2)',
  hit.hybridstate!.p50,
  hit.ioredis!.p50,
);

// --- session get, PostgreSQL fallback: every get misses Redis, reads the row, restores Redis
const ids = await Promise.all(
  Array.from({ length: 2000 }, () => web.sessions.create(user!.id, data)),
);
const fallback = await missLatency(ids.map((s) => s.id));
const rawSelect = await compareLatency(
  {
    pg: () =>
      pool.query(`SELECT session_data FROM "${schemaPrefix}identity".sessions WHERE id_hash = $1`, [
        Buffer.alloc(32),
      ]),
  },
  2000,
  3,
);
report.add({
  case: 'session get, PostgreSQL fallback',
  impl: 'hybridstate',
  metric: 'p50_us',
  value: fallback.p50,
  unit: 'us',
});
report.add({
  case: 'session get, PostgreSQL fallback',
  impl: 'hybridstate',
  metric: 'p99_us',
  value: fallback.p99,
  unit: 'us',
});
report.add({
  case: 'session get, PostgreSQL fallback',
  impl: 'pg',
  metric: 'p50_us',
  value: rawSelect.pg!.p50,
  unit: 'us',
});
report.add({
  case: 'session get, PostgreSQL fallback',
  impl: 'pg',
  metric: 'p99_us',
  value: rawSelect.pg!.p99,
  unit: 'us',
});

// --- getOrSet hits: memory L1 over Redis on both sides
const bento = new BentoCache({
  default: 'c',
  stores: {
    c: bentostore()
      .useL1Layer(memoryDriver({ maxItems: 10_000 }))
      .useL2Layer(redisDriver({ connection: redis })),
  },
});
const rate = { from: 'USD', to: 'UAH', rate: 41.53 };
for (let i = 0; i < 100; i++) {
  await web.cache.getOrSet('rates', `k${i}`, () => rate);
  await bento.getOrSet({ key: `k${i}`, factory: () => rate, ttl: '5m' });
}
let n = 0;
const ours = await hotLoop(() => web.cache.getOrSet('rates', `k${n++ % 100}`, () => rate));
const theirs = await hotLoop(() =>
  bento.getOrSet({ key: `k${n++ % 100}`, factory: () => rate, ttl: '5m' }),
);
const ours2 = await hotLoop(() => web.cache.getOrSet('rates', `k${n++ % 100}`, () => rate));
const theirs2 = await hotLoop(() =>
  bento.getOrSet({ key: `k${n++ % 100}`, factory: () => rate, ttl: '5m' }),
);
const oursRate = Math.max(ours, ours2);
const theirsRate = Math.max(theirs, theirs2);
report.add({
  case: 'getOrSet hit (L1 over Redis)',
  impl: 'hybridstate',
  metric: 'ops_per_s',
  value: oursRate,
  unit: 'ops/s',
});
report.add({
  case: 'getOrSet hit (L1 over Redis)',
  impl: 'bentocache',
  metric: 'ops_per_s',
  value: theirsRate,
  unit: 'ops/s',
});
report.ratio('getOrSet hits hybridstate / bentocache (target >= 1)', oursRate, theirsRate);

await report.write();
await bento.clear();
web.close();
for (const schema of DEFAULT_CONTEXTS.map((c) => c.schema).concat('identity'))
  await pool.query(`DROP SCHEMA IF EXISTS "${schemaPrefix}${schema}" CASCADE`);
await dropPrefix(redis, keyspace.prefix);
redis.disconnect();
await pool.end();

/** Sequential gets that each miss Redis: copies are dropped before every round. */
async function missLatency(
  sessionIds: string[],
  rounds = 3,
): Promise<{ p50: number; p99: number }> {
  const p50s: number[] = [];
  const p99s: number[] = [];
  for (let r = 0; r < rounds; r++) {
    await dropPrefix(redis, keyspace.prefix);
    const samples = new Float64Array(sessionIds.length);
    for (const [i, sessionId] of sessionIds.entries()) {
      const started = process.hrtime.bigint();
      await web.sessions.get(sessionId);
      samples[i] = Number(process.hrtime.bigint() - started) / 1000;
    }
    samples.sort();
    p50s.push(samples[Math.floor(samples.length / 2)]!);
    p99s.push(samples[Math.floor(samples.length * 0.99)]!);
  }
  const mid = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  return { p50: mid(p50s), p99: mid(p99s) };
}
