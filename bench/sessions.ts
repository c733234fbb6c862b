/**
 * `npm run bench -- sessions`: Telegram session middleware, side by side in one run:
 * hybridstate `Sessions` on grammY and Telegraf against grammY `session()` +
 * `@grammyjs/storage-redis` (ioredis with auto-pipelining, its best setting) and Telegraf +
 * `telegraf-session-redis-upd` (the library seed 000 uses). For each: updates/s with 64
 * concurrent users and sequential latency p50/p99 (both measured in interleaved rounds, so a
 * slow spell of the machine falls on every implementation), and how many of 200 concurrent
 * updates of one user were lost. hybridstate runs with its default kept leases, plus one row
 * with `keepMs: 0` (lock and release on every update, the design before kept leases). The
 * throughput rows also say how much CPU one update cost this process and the Redis server.
 * A last phase measures new users: every update from a user never seen before (each
 * session's first write: for ours a lock taken in Redis, a read of PostgreSQL for durable
 * sessions, and an insert).
 */

import { createRequire } from 'node:module';
import { RedisAdapter } from '@grammyjs/storage-redis';
import {
  createRedisClient,
  createTieredStore,
  type Durability,
  Keyspace,
  type LockOptions,
  PostgresTier,
  pgSqlClient,
  RedisTier,
} from '@hybridstate/core';
import { Sessions } from '@hybridstate/telegram';
import { type Context, session as grammySession } from 'grammy';
import { Redis } from 'ioredis';
import pg from 'pg';
import { grammyBot, messageUpdate, telegrafBot } from '../test-support/telegram.ts';
import { compareLatency, compareThroughput, Report } from './lib/measure.ts';
import { DATABASE_URL, dropPrefix, REDIS_URL } from './lib/servers.ts';

const require = createRequire(import.meta.url);
const TelegrafRedisSession = require('telegraf-session-redis-upd') as new (
  options: object,
) => {
  middleware(): (ctx: unknown, next: () => Promise<void>) => Promise<void>;
  client: { quit(): void };
};

const report = new Report('sessions');
const redis = await createRedisClient(REDIS_URL);
const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 10 });
const schema = `bench_sessions_${process.pid}`;
const keyspace = new Keyspace({ prefix: `benchs${process.pid}` });
const store = await createTieredStore({
  keyspace,
  cache: new RedisTier(redis),
  postgres: new PostgresTier(pgSqlClient(pool), { schema }),
  sweepIntervalMs: 0,
  writeBehind: { flushIntervalMs: 3_600_000 },
});

type Handle = (userId: number) => Promise<void>;
interface Impl {
  readonly label: string;
  readonly impl: string;
  readonly handle: Handle;
  readonly count: (userId: number) => Promise<number>;
}

function hybridGrammy(durability: Durability, lock?: LockOptions): Impl {
  const variant = lock?.keepMs === 0 ? '_nokeep' : '';
  const definitions = {
    userSession: {
      scope: 'user' as const,
      name: `user_${durability}_g${variant}`,
      durability,
      ...(durability === 'ephemeral' ? { ttlMs: 3_600_000 } : {}),
      initial: () => ({ count: 0 }),
    },
  };
  const sessions = new Sessions(store, keyspace, definitions, lock === undefined ? {} : { lock });
  const { bot } = grammyBot<Context & { userSession: { count: number } }>();
  bot.use(sessions.grammy() as never);
  bot.on('message', (ctx) => {
    ctx.userSession.count++;
  });
  const family = sessions.properties[0]!.family;
  return {
    label: `grammY, ${durability}${variant === '' ? '' : ', keepMs: 0'}`,
    impl: 'hybridstate',
    handle: (id) => bot.handleUpdate(messageUpdate(id)),
    count: async (id) =>
      ((await store.get(family.key({ userId: id } as never))) as { count: number } | undefined)
        ?.count ?? 0,
  };
}

function hybridTelegraf(durability: Durability): Impl {
  const definitions = {
    userSession: {
      scope: 'user' as const,
      name: `user_${durability}_t`,
      durability,
      ...(durability === 'ephemeral' ? { ttlMs: 3_600_000 } : {}),
      initial: () => ({ count: 0 }),
    },
  };
  const sessions = new Sessions(store, keyspace, definitions);
  const { bot } = telegrafBot();
  bot.use(sessions.telegraf() as never);
  bot.on('message', (ctx) => {
    (ctx as unknown as { userSession: { count: number } }).userSession.count++;
  });
  const family = sessions.properties[0]!.family;
  return {
    label: `Telegraf, ${durability}`,
    impl: 'hybridstate',
    handle: (id) => bot.handleUpdate(messageUpdate(id) as never),
    count: async (id) =>
      ((await store.get(family.key({ userId: id } as never))) as { count: number } | undefined)
        ?.count ?? 0,
  };
}

const peerRedis = new Redis(REDIS_URL, { enableAutoPipelining: true });
function grammyStorageRedis(): Impl {
  const { bot } = grammyBot<Context & { session: { count: number } }>();
  bot.use(
    grammySession({
      initial: () => ({ count: 0 }),
      storage: new RedisAdapter<{ count: number }>({ instance: peerRedis }),
      getSessionKey: (ctx) => `benchpeer:g:${ctx.from?.id}`,
    }) as never,
  );
  bot.on('message', (ctx) => {
    ctx.session.count++;
  });
  return {
    label: 'grammY',
    impl: '@grammyjs/storage-redis',
    handle: (id) => bot.handleUpdate(messageUpdate(id)),
    count: async (id) =>
      JSON.parse((await peerRedis.get(`benchpeer:g:${id}`)) ?? '{"count":0}').count,
  };
}

const url = new URL(REDIS_URL);
const telegrafPeer = new TelegrafRedisSession({
  store: { host: url.hostname, port: Number(url.port || 6379) },
  getSessionKey: (ctx: { from?: { id: number } }) => `benchpeer:t:${ctx.from?.id}`,
});
function telegrafSessionRedis(): Impl {
  const { bot } = telegrafBot();
  bot.use(telegrafPeer.middleware() as never);
  bot.on('message', (ctx) => {
    const session = (ctx as unknown as { session: { count?: number } }).session;
    session.count = (session.count ?? 0) + 1;
  });
  return {
    label: 'Telegraf',
    impl: 'telegraf-session-redis-upd',
    handle: (id) => bot.handleUpdate(messageUpdate(id) as never),
    count: async (id) =>
      JSON.parse((await peerRedis.get(`benchpeer:t:${id}`)) ?? '{"count":0}').count ?? 0,
  };
}

const impls = [
  hybridGrammy('ephemeral'),
  hybridGrammy('buffered'),
  hybridGrammy('durable'),
  hybridTelegraf('ephemeral'),
  hybridGrammy('ephemeral', { keepMs: 0 }),
  grammyStorageRedis(),
  telegrafSessionRedis(),
];
/** An implementation's name in the interleaved measurements. */
const nameOf = (impl: Impl) => `${impl.label}/${impl.impl}`;
const ours = impls.filter((impl) => impl.impl === 'hybridstate');
const peers = impls.filter((impl) => impl.impl !== 'hybridstate');
let base = 1_000_000;

// --- lost updates: 200 concurrent updates of one user
for (const impl of impls) {
  const id = ++base;
  await Promise.all(Array.from({ length: 200 }, () => impl.handle(id)));
  report.add({
    case: `200 concurrent updates of one user, ${impl.label}`,
    impl: impl.impl,
    metric: 'lost_updates',
    value: 200 - (await impl.count(id)),
    unit: 'updates',
  });
}

// --- sequential latency, interleaved, one user each; plus raw GET + SET
const raw = new Redis(REDIS_URL);
await raw.set('benchpeer:raw', '{"count":0}');
const seqUsers = new Map(impls.map((impl) => [impl, ++base]));
const ops: Record<string, () => Promise<unknown>> = {
  'raw GET + SET': async () => raw.set('benchpeer:raw', (await raw.get('benchpeer:raw')) ?? ''),
};
for (const impl of impls) ops[nameOf(impl)] = () => impl.handle(seqUsers.get(impl)!);
const latency = await compareLatency(ops, 2000);
report.add({
  case: 'sequential update latency, raw GET + SET',
  impl: 'ioredis',
  metric: 'p50_us',
  value: latency['raw GET + SET']!.p50,
  unit: 'us',
});
report.add({
  case: 'sequential update latency, raw GET + SET',
  impl: 'ioredis',
  metric: 'p99_us',
  value: latency['raw GET + SET']!.p99,
  unit: 'us',
});
for (const impl of impls) {
  const lat = latency[nameOf(impl)]!;
  report.add({
    case: `sequential update latency, ${impl.label}`,
    impl: impl.impl,
    metric: 'p50_us',
    value: lat.p50,
    unit: 'us',
  });
  report.add({
    case: `sequential update latency, ${impl.label}`,
    impl: impl.impl,
    metric: 'p99_us',
    value: lat.p99,
    unit: 'us',
  });
}

// --- throughput: 64 concurrent users, with the CPU each update cost this process and Redis
/** CPU time Redis has used so far, in microseconds (INFO cpu). */
async function redisCpuUs(): Promise<number> {
  const info = await raw.info('cpu');
  const used = (field: string) => Number(new RegExp(`${field}:([\\d.]+)`).exec(info)?.[1] ?? 0);
  return (used('used_cpu_user') + used('used_cpu_sys')) * 1e6;
}
// Interleaved rounds (see compareThroughput): every implementation sees the same machine.
// Per implementation: its update counter, and the CPU and updates of its measured rounds.
const runs = new Map(
  impls.map((impl) => [nameOf(impl), { next: 0, node: 0, redis: 0, updates: 0 }]),
);
const throughputOps: Record<string, () => Promise<unknown>> = {};
for (const impl of impls) {
  const first = base + 1;
  base += 64;
  const run = runs.get(nameOf(impl))!;
  throughputOps[nameOf(impl)] = () => impl.handle(first + (run.next++ % 64));
}
const measured = await compareThroughput(throughputOps, {
  concurrency: 64,
  // Five rounds, not three: on this shared machine one slow round moved the ratio by 0.3.
  rounds: 5,
  around: async (name, measure) => {
    const run = runs.get(name)!;
    const started = run.next;
    const nodeBefore = process.cpuUsage();
    const redisBefore = await redisCpuUs();
    const rate = await measure();
    const node = process.cpuUsage(nodeBefore);
    run.redis += (await redisCpuUs()) - redisBefore;
    run.node += node.user + node.system;
    run.updates += run.next - started;
    return rate;
  },
});
const rates = new Map<Impl, number>();
for (const impl of impls) {
  const rate = measured[nameOf(impl)]!;
  const used = runs.get(nameOf(impl))!;
  rates.set(impl, rate);
  const throughputCase = `updates/s, 64 concurrent users, ${impl.label}`;
  report.add({
    case: throughputCase,
    impl: impl.impl,
    metric: 'ops_per_s',
    value: rate,
    unit: 'updates/s',
  });
  // Where the time goes: both sides share this machine's 2 cores.
  report.add({
    case: throughputCase,
    impl: impl.impl,
    metric: 'node_cpu_us_per_update',
    value: used.node / used.updates,
    unit: 'us',
  });
  report.add({
    case: throughputCase,
    impl: impl.impl,
    metric: 'redis_cpu_us_per_update',
    value: used.redis / used.updates,
    unit: 'us',
  });
}

// --- new users: every update from a user never seen before (each session's first write)
let stranger = 10_000_000;
const newUserOps: Record<string, () => Promise<unknown>> = {};
for (const impl of impls) newUserOps[nameOf(impl)] = () => impl.handle(++stranger);
const newUsers = await compareThroughput(newUserOps, { concurrency: 64 });
for (const impl of impls) {
  report.add({
    case: `updates/s, 64 concurrent new users (each update a user's first), ${impl.label}`,
    impl: impl.impl,
    metric: 'ops_per_s',
    value: newUsers[nameOf(impl)]!,
    unit: 'updates/s',
  });
}

const bestPeer = Math.max(...peers.map((impl) => rates.get(impl)!));
const bestPeerNew = Math.max(...peers.map((impl) => newUsers[nameOf(impl)]!));
for (const impl of ours)
  report.ratio(`updates/s ${impl.label} / best peer`, rates.get(impl)!, bestPeer);
for (const impl of ours)
  report.ratio(
    `updates/s of new users ${impl.label} / best peer`,
    newUsers[nameOf(impl)]!,
    bestPeerNew,
  );
for (const impl of ours)
  report.ratio(
    `sequential p50 ${impl.label} / raw GET + SET`,
    latency[nameOf(impl)]!.p50,
    latency['raw GET + SET']!.p50,
  );
await report.write();

await store.close();
await dropPrefix(redis, keyspace.prefix);
let cursor = '0';
do {
  const [nextCursor, keys] = await raw.scan(cursor, 'MATCH', 'benchpeer:*', 'COUNT', 1000);
  cursor = nextCursor;
  if (keys.length > 0) await raw.del(...keys);
} while (cursor !== '0');
await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
await pool.end();
redis.disconnect();
raw.disconnect();
peerRedis.disconnect();
telegrafPeer.client.quit();
process.exit(0);
