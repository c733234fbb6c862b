/**
 * `npm run bench -- platform`: the reference platform's API read throughput and p99 with
 * autocannon, against a bare Fastify route returning the same JSON (ratio; target >= 0.7),
 * and bot updates per second through the whole webhook path (secret check, grammY, sessions,
 * user lookup, settings and keyboard caches, conversation log; Telegram's API captured).
 * Real PostgreSQL and Redis; both servers in this process, measured interleaved.
 */
import {
  createRedisClient,
  createTieredStore,
  Keyspace,
  PostgresTier,
  pgSqlClient,
  RedisMessageBus,
  RedisTier,
  silentLogger,
} from '@hybridstate/core';
import { signInitData } from '@hybridstate/telegram';
import Fastify, { type FastifyInstance } from 'fastify';
import pg from 'pg';
import { registerPlatform } from '../apps/server/src/api/register-platform.ts';
import { buildServer } from '../apps/server/src/build-server.ts';
import { migratePlatform } from '../apps/server/src/platform/migrate-platform.ts';
import { createPlatform } from '../apps/server/src/platform/platform.ts';
import { Report } from './lib/measure.ts';
import { DATABASE_URL, dropPrefix, REDIS_URL } from './lib/servers.ts';

interface CannonResult {
  requests: { average: number };
  latency: { p99: number; p50: number };
  non2xx: number;
  errors: number;
}
type CannonRequest = {
  method: string;
  path: string;
  headers?: Record<string, string>;
  setupRequest?: (r: object) => object;
};
type Cannon = (options: Record<string, unknown>) => Promise<CannonResult>;
const autocannon = (await import('autocannon' as string)).default as Cannon;

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 4);
const CONNECTIONS = 32;
const report = new Report('platform');
const tag = `bench${process.pid}`;
const schema = `${tag}_platform`;
const keyspace = new Keyspace({ prefix: tag });
const redis = await createRedisClient(REDIS_URL);
const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 10 });
const sql = pgSqlClient(pool);
const tier = new PostgresTier(sql, { schema: `${tag}_store` });
await tier.migrate();
const store = await createTieredStore({
  keyspace,
  cache: new RedisTier(redis),
  postgres: tier,
  sweepIntervalMs: 0,
});
await migratePlatform(sql, { schema, identitySchemaPrefix: `${tag}_` });
const bus = new RedisMessageBus(redis, { channelPrefix: `${tag}:bus:` });
const platform = createPlatform({
  sql,
  store,
  keyspace,
  redis,
  bus,
  schema,
  identitySchemaPrefix: `${tag}_`,
  playgroundSecret: 'bench-secret',
  logger: silentLogger,
});
const app = buildServer({ store });
await registerPlatform(app, {
  platform,
  logger: silentLogger,
  system: { store, bus, gatewayClients: () => 0 },
  webhookSecret: 'bench-webhook-secret',
});

// Content: the seed's keyboard and a few tasks; one Mini App user with a balance.
const actor = {
  adminId: 'bench',
  email: 'bench@example.com',
  role: 'admin' as const,
  ip: '127.0.0.1',
};
for (const [i, label] of ['Tasks', 'Balance', 'App'].entries())
  await platform.buttons.create(actor, {
    label,
    action: ['tasks', 'balance', 'mini_app'][i],
    position: i,
  });
for (let i = 0; i < 5; i++)
  await platform.tasks.create(actor, {
    title: `Task ${i}`,
    rewardMinor: 100 + i,
    type: 'link',
    url: `https://example.com/${i}`,
  });
const initData = signInitData(
  {
    auth_date: String(Math.floor(Date.now() / 1000)),
    user: JSON.stringify({ id: 4242, first_name: 'Bench' }),
  },
  'bench-secret',
);
await platform.admins.upsert('bench@example.com', 'bench-password', 'admin');
const login = await platform.admins.login('bench@example.com', 'bench-password');

const platformUrl = await listen(app);
const reads = [
  {
    name: 'GET /api/app/me (initData)',
    path: '/api/app/me',
    headers: { authorization: `tma ${initData}` },
  },
  {
    name: 'GET /api/app/tasks (initData)',
    path: '/api/app/tasks',
    headers: { authorization: `tma ${initData}` },
  },
  {
    name: 'GET /api/admin/buttons (cookie)',
    path: '/api/admin/buttons',
    headers: { cookie: `hs_admin=${login.sessionId}` },
  },
];
for (const read of reads) {
  const body = (await app.inject({ method: 'GET', url: read.path, headers: read.headers })).body;
  const bare = Fastify({ logger: false });
  bare.get(read.path, async (_request, reply) =>
    reply.type('application/json').send(JSON.parse(body)),
  );
  const bareUrl = await listen(bare);
  const results: Record<string, CannonResult[]> = { platform: [], 'bare fastify': [] };
  for (let round = 0; round < 3; round++) {
    results['bare fastify']!.push(await cannon(bareUrl, [{ method: 'GET', path: read.path }]));
    results.platform!.push(
      await cannon(platformUrl, [{ method: 'GET', path: read.path, headers: read.headers }]),
    );
  }
  const rates: Record<string, number> = {};
  for (const [impl, runs] of Object.entries(results)) {
    rates[impl] = median(runs.map((r) => r.requests.average));
    report.add({ case: read.name, impl, metric: 'req_per_s', value: rates[impl]!, unit: 'req/s' });
    report.add({
      case: read.name,
      impl,
      metric: 'p99_ms',
      value: median(runs.map((r) => r.latency.p99)),
      unit: 'ms',
    });
    const failed = runs.reduce((n, r) => n + r.non2xx + r.errors, 0);
    if (failed > 0) console.warn(`  ${impl}: ${failed} failed requests`);
  }
  report.add({
    case: read.name,
    impl: 'platform / bare',
    metric: 'ratio',
    value: rates.platform! / rates['bare fastify']!,
    unit: 'x',
  });
  report.ratio(
    `${read.name} throughput vs bare route (target >= 0.7)`,
    rates.platform!,
    rates['bare fastify']!,
  );
  await bare.close();
}

// Bot updates through POST /telegram/webhook: a /start from a different user each time.
let updateId = 1;
const webhook = {
  method: 'POST',
  path: '/telegram/webhook',
  headers: {
    'content-type': 'application/json',
    'x-telegram-bot-api-secret-token': 'bench-webhook-secret',
  },
  setupRequest: (request: object) => {
    const id = 10_000_000 + (updateId % 5000);
    const update = {
      update_id: updateId++,
      message: {
        message_id: updateId,
        date: Math.floor(Date.now() / 1000),
        chat: { id, type: 'private', first_name: 'U' },
        from: { id, is_bot: false, first_name: 'U' },
        text: updateId % 2 === 0 ? '/start' : 'Balance',
        ...(updateId % 2 === 0
          ? { entities: [{ type: 'bot_command', offset: 0, length: 6 }] }
          : {}),
      },
    };
    return { ...request, body: JSON.stringify(update) };
  },
};
const botRuns: CannonResult[] = [];
for (let round = 0; round < 3; round++) botRuns.push(await cannon(platformUrl, [webhook], 16));
report.add({
  case: 'bot updates via webhook',
  impl: 'platform',
  metric: 'updates_per_s',
  value: median(botRuns.map((r) => r.requests.average)),
  unit: 'updates/s',
});
report.add({
  case: 'bot updates via webhook',
  impl: 'platform',
  metric: 'p99_ms',
  value: median(botRuns.map((r) => r.latency.p99)),
  unit: 'ms',
});
const botFailed = botRuns.reduce((n, r) => n + r.non2xx + r.errors, 0);
if (botFailed > 0) console.warn(`  webhook: ${botFailed} failed requests`);

await report.write();
await app.close();
await platform.close();
await bus.close();
await store.close();
for (const s of [
  schema,
  `${tag}_store`,
  ...['identity', 'web', 'admin', 'bot'].map((n) => `${tag}_${n}`),
])
  await pool.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
await dropPrefix(redis, tag);
redis.disconnect();
await pool.end();

async function listen(server: FastifyInstance): Promise<string> {
  await server.listen({ port: 0, host: '127.0.0.1' });
  const address = server.server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return `http://127.0.0.1:${address.port}`;
}

function cannon(
  url: string,
  requests: CannonRequest[],
  connections = CONNECTIONS,
): Promise<CannonResult> {
  return autocannon({ url, requests, connections, duration: DURATION_S });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}
