/**
 * `npm run bench -- store`: get/set latency and throughput of each tier and durability
 * mode, side by side with raw ioredis / pg calls and BentoCache in the same run.
 */
import { PGlite } from '@electric-sql/pglite';
import {
  createRedisClient,
  createTieredStore,
  Keyspace,
  MemoryTier,
  PostgresTier,
  pgliteSqlClient,
  pgSqlClient,
  RedisTier,
} from '@hybridstate/core';
import { BentoCache, bentostore } from 'bentocache';
import { memoryDriver } from 'bentocache/drivers/memory';
import { redisDriver } from 'bentocache/drivers/redis';
import pg from 'pg';
import { compareLatency, hotLoop, Report, throughput } from './lib/measure.ts';
import { DATABASE_URL, dropPrefix, REDIS_URL } from './lib/servers.ts';

const report = new Report('store');
const value = { name: 'Ann', balance: 100, tags: ['a', 'b'], joined: '2025-09-11' };
const encoded = JSON.stringify(value);

// --- set-up: one keyspace, a Redis + PostgreSQL store, an embedded store, raw clients, BentoCache
const keyspace = new Keyspace({ prefix: `bench${process.pid}` });
const session = keyspace.family({
  name: 'session',
  key: 'session:{id}',
  durability: 'ephemeral',
  ttlMs: 600_000,
});
const profile = keyspace.family({ name: 'profile', key: 'profile:{id}', durability: 'durable' });
const hot = keyspace.family({
  name: 'hot',
  key: 'hot:{id}',
  durability: 'durable',
  l1: { ttlMs: 600_000 },
});

const redis = await createRedisClient(REDIS_URL);
const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 10 });
const schema = `bench_${process.pid}`;
const postgres = new PostgresTier(pgSqlClient(pool), { schema });
const store = await createTieredStore({
  keyspace,
  cache: new RedisTier(redis),
  postgres,
  sweepIntervalMs: 0,
});
const lite = await PGlite.create();
const embedded = await createTieredStore({
  keyspace,
  cache: new MemoryTier(),
  postgres: new PostgresTier(pgliteSqlClient(lite)),
  sweepIntervalMs: 0,
});
const memoryTier = new MemoryTier();

const bentoBoth = new BentoCache({
  default: 'c',
  stores: {
    c: bentostore()
      .useL1Layer(memoryDriver({ maxItems: 10_000 }))
      .useL2Layer(redisDriver({ connection: redis })),
  },
});
const bentoMemory = new BentoCache({
  default: 'c',
  stores: { c: bentostore().useL1Layer(memoryDriver({ maxItems: 10_000 })) },
});
const bentoRedis = new BentoCache({
  default: 'c',
  stores: { c: bentostore().useL2Layer(redisDriver({ connection: redis })) },
});

const ref = (family: typeof session | typeof profile | typeof hot, i: number) =>
  family.key({ id: `k${i % 100}` });
for (let i = 0; i < 100; i++) {
  await store.set(ref(session, i), value);
  await store.set(ref(profile, i), value);
  await store.set(ref(hot, i), value);
  await embedded.set(ref(session, i), value);
  await memoryTier.write([
    { ref: ref(session, i), value: encoded, expiresAt: null, ttlMs: 600_000 },
  ]);
  await redis.set(`bench:raw:${i}`, encoded);
  for (const b of [bentoBoth, bentoMemory, bentoRedis])
    await b.set({ key: `k${i}`, value, ttl: '10m' });
}
await pool.query(
  `CREATE TABLE IF NOT EXISTS ${schema}.raw_kv (namespace text, key text, value jsonb, version bigint, expires_at timestamptz, PRIMARY KEY (namespace, key))`,
);
let n = 0;
const next = () => n++ % 100;

// --- memory hits
const memoryCases: [string, string, () => Promise<unknown>][] = [
  ['memory hit', 'hybridstate', () => embedded.get(ref(session, next()))],
  [
    'memory hit (tier read, no decode)',
    'hybridstate',
    () => memoryTier.read([ref(session, next())]),
  ],
  ['memory hit', 'bentocache', () => bentoMemory.get({ key: `k${next()}` })],
  ['L1 hit over Redis', 'hybridstate', () => store.get(ref(hot, next()))],
  ['L1 hit over Redis', 'bentocache', () => bentoBoth.get({ key: `k${next()}` })],
];
for (const [name, impl, op] of memoryCases)
  report.add({ case: name, impl, metric: 'ops_per_s', value: await hotLoop(op), unit: 'ops/s' });

// --- Redis reads, measured interleaved so every implementation sees the same machine
const hmget = (i: number) => redis.hmget(ref(session, i).redisKey, 'd', 'v', 'e');
const readOps: [string, string, () => Promise<unknown>][] = [
  ['redis get', 'ioredis', () => redis.get(`bench:raw:${next()}`)],
  ['redis get (HMGET, the same command)', 'ioredis', () => hmget(next())],
  ['redis get', 'hybridstate', () => store.get(ref(session, next()))],
  ['redis get (durable, Redis hit)', 'hybridstate', () => store.get(ref(profile, next()))],
  ['redis get', 'bentocache', () => bentoRedis.get({ key: `k${next()}` })],
];
const writeOps: [string, string, () => Promise<unknown>][] = [
  ['redis set', 'ioredis', () => redis.set(`bench:raw:${next()}`, encoded, 'PX', 600_000)],
  ['redis set', 'hybridstate', () => store.set(ref(session, next()), value)],
  ['redis set', 'bentocache', () => bentoRedis.set({ key: `k${next()}`, value, ttl: '10m' })],
];
const durableOps: [string, string, () => Promise<unknown>][] = [
  [
    'durable set',
    'pg',
    () =>
      pool.query({
        name: 'raw_upsert',
        text: `INSERT INTO ${schema}.raw_kv VALUES ($1, $2, $3::jsonb, 1, NULL) ON CONFLICT (namespace, key) DO UPDATE SET value = EXCLUDED.value, version = ${schema}.raw_kv.version + 1`,
        values: ['ns', `k${next()}`, encoded],
      }),
  ],
  [
    'durable set (PostgreSQL tier only)',
    'hybridstate',
    () =>
      postgres.write([{ ref: ref(profile, next()), value: encoded, expiresAt: null, ttlMs: 1 }]),
  ],
  ['durable set', 'hybridstate', () => store.set(ref(profile, next()), value)],
  ['durable set (embedded PGlite)', 'hybridstate', () => embedded.set(ref(profile, next()), value)],
];
const p50 = new Map<string, number>();
for (const [group, n, concurrency] of [
  [readOps, 3000, 64],
  [writeOps, 3000, 16],
  [durableOps, 1500, 16],
] as const) {
  const measured = await compareLatency(
    Object.fromEntries(group.map(([c, impl, op]) => [`${c}/${impl}`, op])),
    n,
  );
  for (const [name, impl, op] of group) {
    const lat = measured[`${name}/${impl}`]!;
    p50.set(`${name}/${impl}`, lat.p50);
    report.add({ case: name, impl, metric: 'p50_us', value: lat.p50, unit: 'us' });
    report.add({ case: name, impl, metric: 'p99_us', value: lat.p99, unit: 'us' });
    report.add({
      case: `${name} x${concurrency}`,
      impl,
      metric: 'ops_per_s',
      value: await throughput(op, concurrency),
      unit: 'ops/s',
    });
  }
}

report.ratio(
  'redis get p50, hybridstate / ioredis GET',
  p50.get('redis get/hybridstate')!,
  p50.get('redis get/ioredis')!,
);
report.ratio(
  'durable get on a Redis hit p50, hybridstate / ioredis GET',
  p50.get('redis get (durable, Redis hit)/hybridstate')!,
  p50.get('redis get/ioredis')!,
);
report.ratio(
  'redis set p50, hybridstate / ioredis SET',
  p50.get('redis set/hybridstate')!,
  p50.get('redis set/ioredis')!,
);
report.ratio(
  'durable set p50, hybridstate / pg single-row upsert',
  p50.get('durable set/hybridstate')!,
  p50.get('durable set/pg')!,
);
await report.write();

await store.close();
await embedded.close();
await pool.query(`DROP SCHEMA ${schema} CASCADE`);
for (let i = 0; i < 100; i++) await redis.del(`bench:raw:${i}`);
await dropPrefix(redis, keyspace.prefix);
await Promise.all([bentoBoth, bentoMemory, bentoRedis].map((b) => b.clear()));
redis.disconnect();
await pool.end();
await lite.close();
process.exit(0);
