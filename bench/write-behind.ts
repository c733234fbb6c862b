/**
 * `npm run bench -- write-behind`: flush throughput (rows/s) of the write-behind flusher
 * against a naive per-key upsert loop, and buffered-write latency against a raw Redis SET,
 * in the same run.
 */
import {
  createRedisClient,
  createTieredStore,
  Keyspace,
  PostgresTier,
  pgSqlClient,
  RedisTier,
} from '@hybridstate/core';
import pg from 'pg';
import { compareLatency, Report, throughput } from './lib/measure.ts';
import { DATABASE_URL, dropPrefix, REDIS_URL } from './lib/servers.ts';

const ROWS = Number(process.env.BENCH_ROWS ?? 50_000);
const NAIVE_ROWS = 5_000;
const report = new Report('write-behind');
const value = {
  role: 'user',
  text: 'Hello, I would like to book a table for two at 19:00',
  at: '2026-11-27T12:00:00Z',
};
const encoded = JSON.stringify(value);

const keyspace = new Keyspace({ prefix: `benchwb${process.pid}` });
const memory = keyspace.family({
  name: 'user_memory',
  key: 'user_memory:{userId}',
  durability: 'buffered',
});
const redis = await createRedisClient(REDIS_URL);
const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 10 });
const schema = `bench_wb_${process.pid}`;
const postgres = new PostgresTier(pgSqlClient(pool), { schema });
const store = await createTieredStore({
  keyspace,
  cache: new RedisTier(redis),
  postgres,
  sweepIntervalMs: 0,
  writeBehind: { flushIntervalMs: 3_600_000, pollMs: 3_600_000 },
});

async function fill(count: number, round: number): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: 64 }, async () => {
      for (let i = next++; i < count; i = next++)
        await store.set(memory.key({ userId: `u${i}` }), { ...value, round });
    }),
  );
}

// --- flush throughput: median of 3 rounds of ROWS journal entries each
const rates: number[] = [];
for (let round = 0; round < 3; round++) {
  await fill(ROWS, round);
  const started = performance.now();
  const rows = await store.flush();
  const seconds = (performance.now() - started) / 1000;
  if (rows !== ROWS) throw new Error(`flushed ${rows} rows, expected ${ROWS}`);
  rates.push(rows / seconds);
}
rates.sort((a, b) => a - b);
report.add({
  case: `flush ${ROWS} journal entries`,
  impl: 'hybridstate',
  metric: 'rows_per_s',
  value: rates[1]!,
  unit: 'rows/s',
});

// --- the naive way: one upsert statement per key, as a 5-minute sync loop does it
await pool.query(
  `CREATE TABLE ${schema}.naive (namespace text, key text, value jsonb, version bigint, PRIMARY KEY (namespace, key))`,
);
let started = performance.now();
for (let i = 0; i < NAIVE_ROWS; i++) {
  await pool.query({
    name: 'naive',
    text: `INSERT INTO ${schema}.naive VALUES ($1, $2, $3::jsonb, $4) ON CONFLICT (namespace, key) DO UPDATE SET value = EXCLUDED.value, version = EXCLUDED.version WHERE ${schema}.naive.version < EXCLUDED.version`,
    values: ['ns', `u${i}`, encoded, i],
  });
}
const naive = NAIVE_ROWS / ((performance.now() - started) / 1000);
report.add({
  case: `naive per-key upsert loop (${NAIVE_ROWS} rows)`,
  impl: 'pg',
  metric: 'rows_per_s',
  value: naive,
  unit: 'rows/s',
});
report.ratio('flush rows/s, hybridstate / naive loop', rates[1]!, naive);

// --- buffered write latency against a raw SET, interleaved
let n = 0;
const ops = {
  'ioredis SET': () => redis.set(`bench:wb:${n++ % 1000}`, encoded, 'PX', 3_600_000),
  'buffered set': () => store.set(memory.key({ userId: `l${n++ % 1000}` }), value),
};
const lat = await compareLatency(ops, 3000);
for (const [name, impl] of [
  ['ioredis SET', 'ioredis'],
  ['buffered set', 'hybridstate'],
] as const) {
  report.add({ case: 'write latency', impl, metric: 'p50_us', value: lat[name]!.p50, unit: 'us' });
  report.add({ case: 'write latency', impl, metric: 'p99_us', value: lat[name]!.p99, unit: 'us' });
  report.add({
    case: 'write x16',
    impl,
    metric: 'ops_per_s',
    value: await throughput(ops[name], 16),
    unit: 'ops/s',
  });
}
report.ratio('buffered set p50 / raw SET p50', lat['buffered set']!.p50, lat['ioredis SET']!.p50);
started = performance.now();
await store.flush();
await report.write();

await store.close();
await pool.query(`DROP SCHEMA ${schema} CASCADE`);
for (let i = 0; i < 1000; i++) await redis.del(`bench:wb:${i}`);
await dropPrefix(redis, keyspace.prefix);
redis.disconnect();
await pool.end();
process.exit(0);
