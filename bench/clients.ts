/**
 * `npm run bench -- clients`: the measurement behind the client choices. ioredis vs
 * node-redis (GET/SET round trip and 64-way throughput); node-postgres vs postgres.js
 * (single-row select and upsert, sequential and 16-way).
 */
import { Redis } from 'ioredis';
import pg from 'pg';
import postgres from 'postgres';
import { createClient } from 'redis';
import { compareLatency, Report, throughput } from './lib/measure.ts';
import { DATABASE_URL, REDIS_URL } from './lib/servers.ts';

const report = new Report('clients');

const ioredis = new Redis(REDIS_URL);
const ioredisAuto = new Redis(REDIS_URL, { enableAutoPipelining: true });
const nodeRedis = await createClient({ url: REDIS_URL }).connect();
await ioredis.set('bench:clients:k', 'x'.repeat(100));

const redisCases: [string, () => Promise<unknown>][] = [
  ['ioredis', () => ioredis.get('bench:clients:k')],
  ['ioredis (auto-pipelining)', () => ioredisAuto.get('bench:clients:k')],
  ['redis', () => nodeRedis.get('bench:clients:k')],
];
const redisLatency = await compareLatency(Object.fromEntries(redisCases));
for (const [impl, op] of redisCases) {
  const { p50, p99 } = redisLatency[impl]!;
  report.add({ case: 'redis GET sequential', impl, metric: 'p50_us', value: p50, unit: 'us' });
  report.add({ case: 'redis GET sequential', impl, metric: 'p99_us', value: p99, unit: 'us' });
  report.add({
    case: 'redis GET x64',
    impl,
    metric: 'ops_per_s',
    value: await throughput(op, 64),
    unit: 'ops/s',
  });
}

const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 10 });
const sql = postgres(DATABASE_URL, { max: 10, onnotice: () => undefined });
await pool.query(
  'CREATE TABLE IF NOT EXISTS bench_clients (k text PRIMARY KEY, v jsonb, n bigint)',
);
await pool.query(`INSERT INTO bench_clients VALUES ('k', '{"a":1}', 1) ON CONFLICT (k) DO NOTHING`);
let n = 0;
const pgCases: [string, string, () => Promise<unknown>][] = [
  [
    'select by key',
    'pg',
    () =>
      pool.query({
        name: 'sel',
        text: 'SELECT v::text FROM bench_clients WHERE k = $1',
        values: ['k'],
      }),
  ],
  ['select by key', 'postgres', () => sql`SELECT v::text FROM bench_clients WHERE k = ${'k'}`],
  [
    'single-row upsert',
    'pg',
    () =>
      pool.query({
        name: 'up',
        text: 'INSERT INTO bench_clients VALUES ($1, $2::jsonb, $3) ON CONFLICT (k) DO UPDATE SET v = EXCLUDED.v, n = EXCLUDED.n',
        values: [`u${n++ % 100}`, '{"a":1}', n],
      }),
  ],
  [
    'single-row upsert',
    'postgres',
    () =>
      sql`INSERT INTO bench_clients VALUES (${`u${n++ % 100}`}, ${'{"a":1}'}::jsonb, ${n}) ON CONFLICT (k) DO UPDATE SET v = EXCLUDED.v, n = EXCLUDED.n`,
  ],
];
const pgLatency = await compareLatency(
  Object.fromEntries(pgCases.map(([name, impl, op]) => [`${name}/${impl}`, op])),
  2000,
);
for (const [name, impl, op] of pgCases) {
  const { p50, p99 } = pgLatency[`${name}/${impl}`]!;
  report.add({
    case: `postgres ${name} sequential`,
    impl,
    metric: 'p50_us',
    value: p50,
    unit: 'us',
  });
  report.add({
    case: `postgres ${name} sequential`,
    impl,
    metric: 'p99_us',
    value: p99,
    unit: 'us',
  });
  report.add({
    case: `postgres ${name} x16`,
    impl,
    metric: 'ops_per_s',
    value: await throughput(op, 16),
    unit: 'ops/s',
  });
}

await pool.query('DROP TABLE bench_clients');
await ioredis.del('bench:clients:k');
await report.write();
ioredis.disconnect();
ioredisAuto.disconnect();
await nodeRedis.quit();
await pool.end();
await sql.end();
