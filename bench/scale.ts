/**
 * `npm run bench -- scale`: what scale-out costs and buys on this machine.
 * 1. Per-operation latency (p50/p99) and throughput of core store operations on one Redis
 *    and on a local Redis Cluster (3 masters + 3 replicas), measured interleaved.
 * 2. Throughput of 1 vs 3 `apps/server` processes behind the round-robin load balancer,
 *    on the cluster, for a Mini App API read and a bot webhook update (autocannon).
 * Everything runs on one 2-core host: the server processes, the six Redis nodes, PostgreSQL,
 * the balancer and the load generator share the same CPUs.
 */
import { cpus, loadavg } from 'node:os';
import {
  CLUSTER_REPLICA_ACKS,
  createRedisClient,
  createRedisClusterClient,
  createTieredStore,
  Keyspace,
  PostgresTier,
  pgSqlClient,
  RedisTier,
  type TieredStore,
} from '@hybridstate/core';
import pg from 'pg';
import { miniAppAuth, textUpdate } from '../test-support/fleet-client.ts';
import { startRedisCluster } from '../test-support/redis-cluster.ts';
import { startRedisServer } from '../test-support/redis-server.ts';
import { type ServerFleet, startServerFleet } from '../test-support/server-fleet.ts';
import { compareLatency, Report, throughput } from './lib/measure.ts';
import { DATABASE_URL } from './lib/servers.ts';

interface CannonResult {
  requests: { average: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
}
type Cannon = (options: Record<string, unknown>) => Promise<CannonResult>;
const autocannon = (await import('autocannon' as string)).default as Cannon;

const report = new Report('scale');
const value = { name: 'Ann', balance: 100, tags: ['a', 'b'], joined: '2025-09-11' };
const LATENCY_N = Number(process.env.SCALE_LATENCY_N ?? 2000);
const CANNON_S = Number(process.env.SCALE_CANNON_S ?? 8);
console.log(`host: ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'})`);
const load = () => {
  const [one] = loadavg();
  report.add({ case: 'host', impl: 'load average', metric: '1 min', value: one ?? 0, unit: '' });
};
load();

// --- 1. store operations: one Redis vs the cluster --------------------------------------------
const cluster = await startRedisCluster();
const single = await startRedisServer();
const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 10 });
const schema = `bench_scale_${process.pid}`;
type Families = ReturnType<typeof declare>;
const stores: Record<string, { store: TieredStore; f: Families; close: () => void }> = {};
function declare(keyspace: Keyspace) {
  return {
    session: keyspace.family({
      name: 'session',
      key: 'session:{id}',
      durability: 'ephemeral',
      ttlMs: 600_000,
    }),
    buffered: keyspace.family({ name: 'counter', key: 'counter:{id}', durability: 'buffered' }),
  };
}
for (const [name, client, replicaAcks] of [
  ['one Redis', await createRedisClient(single.url), undefined],
  ['Redis Cluster 3x2', await createRedisClusterClient([...cluster.seeds]), undefined],
  // What openStore sets on a cluster: a buffered write waits for a replica (WAIT).
  [
    'Redis Cluster 3x2, replica acks',
    await createRedisClusterClient([...cluster.seeds]),
    CLUSTER_REPLICA_ACKS,
  ],
] as const) {
  const keyspace = new Keyspace({ prefix: 'scale' });
  const f = declare(keyspace);
  const store = await createTieredStore({
    keyspace,
    cache: new RedisTier(client),
    postgres: new PostgresTier(pgSqlClient(pool), { schema }),
    sweepIntervalMs: 0,
    writeBehind: { flushIntervalMs: 2000 },
    ...(replicaAcks === undefined ? {} : { replicaAcks }),
  });
  stores[name] = { store, f, close: () => client.disconnect() };
}
let n = 0;
const ops = ({ store, f }: { store: TieredStore; f: Families }) => ({
  get: () => store.get(f.session.key({ id: n++ % 1000 })),
  set: () => store.set(f.session.key({ id: n++ % 1000 }), value),
  'lock+commit': async () => {
    const ref = f.session.key({ id: n++ % 1000 });
    const held = await store.lock([ref]);
    await held.commit([{ ref, value }]);
  },
  'buffered set': () => store.set(f.buffered.key({ id: n++ % 1000 }), value),
});
const impls = Object.keys(stores);
for (const impl of impls) for (let i = 0; i < 1000; i++) await ops(stores[impl]!).set();
for (const op of ['get', 'set', 'lock+commit', 'buffered set'] as const) {
  const lat = await compareLatency(
    Object.fromEntries(impls.map((impl) => [impl, ops(stores[impl]!)[op]])),
    LATENCY_N,
  );
  for (const impl of impls) {
    report.add({ case: `store ${op}`, impl, metric: 'p50_us', value: lat[impl]!.p50, unit: 'us' });
    report.add({ case: `store ${op}`, impl, metric: 'p99_us', value: lat[impl]!.p99, unit: 'us' });
  }
  const rates: Record<string, number> = {};
  for (const impl of impls) {
    rates[impl] = await throughput(ops(stores[impl]!)[op], 32, 1500);
    report.add({
      case: `store ${op}`,
      impl,
      metric: 'ops_per_s',
      value: rates[impl],
      unit: 'ops/s',
    });
  }
  report.ratio(`${op} p50 cluster / one Redis`, lat[impls[1]!]!.p50, lat[impls[0]!]!.p50);
  report.ratio(`${op} ops/s cluster / one Redis`, rates[impls[1]!]!, rates[impls[0]!]!);
  if (op === 'buffered set') {
    report.ratio(`${op} p50 replica acks / cluster`, lat[impls[2]!]!.p50, lat[impls[1]!]!.p50);
    report.ratio(`${op} ops/s replica acks / cluster`, rates[impls[2]!]!, rates[impls[1]!]!);
  }
}
for (const { store, close } of Object.values(stores)) {
  await store.close();
  close();
}
await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
await pool.end();
await single.stop();

// --- 2. 1 vs 3 server instances on the cluster -------------------------------------------------
const served: Record<string, Record<string, number>> = {};
for (const instances of [1, 3]) {
  const fleet = await startServerFleet({
    instances,
    redis: { clusterNodes: cluster.nodesVariable },
    postgresUrl: DATABASE_URL,
  });
  try {
    const impl = `${instances} instance${instances > 1 ? 's' : ''}`;
    served[instances] = await measureFleet(fleet, impl, fleet.url);
    // What the balancer (a Node process sharing the CPUs) costs: the same instance, directly.
    if (instances === 1)
      await measureFleet(fleet, '1 instance, no balancer', fleet.instances[0]!.url);
  } finally {
    await fleet.stop();
  }
}
for (const c of ['API read', 'bot webhook update'])
  report.ratio(`${c} 3 instances / 1`, served[3]![c]!, served[1]![c]!);
await cluster.stop();
load();
await report.write();

/**
 * Mini App task list reads (24 users) and webhook updates (240 returning Telegram users, so
 * few updates queue on one user's session lock), 24 connections.
 */
async function measureFleet(
  fleet: ServerFleet,
  impl: string,
  url: string,
): Promise<Record<string, number>> {
  const users = Array.from({ length: 24 }, (_, i) => 9_100_000_000 + i);
  for (const id of users) await fetch(`${url}/api/app/me`, { headers: miniAppAuth(id) });
  let next = 0;
  const read = {
    method: 'GET',
    path: '/api/app/tasks',
    setupRequest: (r: object) => ({ ...r, headers: miniAppAuth(users[next++ % users.length]!) }),
  };
  const webhook = {
    method: 'POST',
    path: '/telegram/webhook',
    setupRequest: (r: object) => ({
      ...r,
      headers: {
        'content-type': 'application/json',
        'x-telegram-bot-api-secret-token': fleet.webhookSecret,
      },
      body: JSON.stringify(textUpdate(9_200_000_000 + (next++ % 240), `hello ${next}`)),
    }),
  };
  const out: Record<string, number> = {};
  for (const [name, request] of [
    ['API read', read],
    ['bot webhook update', webhook],
  ] as const) {
    await autocannon({ url, requests: [request], connections: 24, duration: 2 });
    const r = await autocannon({
      url,
      requests: [request],
      connections: 24,
      duration: CANNON_S,
    });
    if (r.non2xx + r.errors > 0)
      console.warn(`  ${impl} ${name}: ${r.non2xx + r.errors} failed requests`);
    out[name] = r.requests.average;
    report.add({ case: name, impl, metric: 'req_per_s', value: r.requests.average, unit: 'req/s' });
    report.add({ case: name, impl, metric: 'p50_ms', value: r.latency.p50, unit: 'ms' });
    report.add({ case: name, impl, metric: 'p99_ms', value: r.latency.p99, unit: 'ms' });
  }
  return out;
}
