/**
 * `npm run bench -- sync`: seed 002's real-time sync, side by side with its peers.
 *
 * 1. Cross-process: publish → handler → publish back, between two Node processes through
 *    Redis: hybridstate SyncService on RedisMessageBus (catalog validation included) against
 *    raw ioredis PUBLISH/SUBSCRIBE. Sequential round trips, interleaved; one way ≈ RTT / 2.
 * 2. Fan-out: one event to 1,000 socket.io clients on loopback (in a second process), time from
 *    publish until the last client has it: the /sync gateway (auth, rooms per audience, Redis
 *    adapter installed) against a bare socket.io `io.emit`. Interleaved, one event at a time.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createRedisClient, RedisMessageBus } from '@hybridstate/core';
import { adminTokenAuthenticator, attachSyncGateway, SyncService } from '@hybridstate/sync';
import { Server } from 'socket.io';
import { compareLatency, Report } from './lib/measure.ts';
import { REDIS_URL } from './lib/servers.ts';
import { benchEvents, wallNow } from './lib/sync-bench-events.ts';

const CLIENTS = Number(process.env.BENCH_SYNC_CLIENTS ?? 1000);
const FANOUT_EVENTS = Number(process.env.BENCH_SYNC_EVENTS ?? 200);
const TOKEN = 'bench-admin-token';
/** A shared 2-core host stalls now and then: a generous command timeout keeps a slow round trip a sample, not a crash. */
const CLIENT_OPTIONS = { commandTimeout: 5000 };
const report = new Report('sync');
const prefix = `bench:${randomUUID().slice(0, 8)}:`;

/** A child process that prints "ready", then JSON lines. */
async function child(file: string, env: Record<string, string>) {
  const proc: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(new URL(file, import.meta.url))],
    { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: proc.stdout! });
  const listeners = new Set<(line: string) => void>();
  lines.on('line', (line) => {
    for (const listener of listeners) listener(line);
  });
  await new Promise<void>((resolve, reject) => {
    proc.once('exit', (code) => reject(new Error(`${file} exited ${code}`)));
    const ready = (line: string) => {
      if (line !== 'ready') return;
      listeners.delete(ready);
      resolve();
    };
    listeners.add(ready);
  });
  return {
    onLine: (listener: (line: string) => void) => listeners.add(listener),
    stop: () =>
      new Promise<void>((resolve) => {
        proc.once('exit', () => resolve());
        proc.stdin!.end();
      }),
  };
}

async function crossProcess(): Promise<void> {
  const echo = await child('./lib/sync-echo-worker.ts', {
    HS_REDIS_URL: REDIS_URL,
    HS_PREFIX: prefix,
  });
  const redis = await createRedisClient(REDIS_URL, CLIENT_OPTIONS);
  const bus = new RedisMessageBus(redis, { channelPrefix: prefix });
  const sync = new SyncService({ bus, catalog: benchEvents });
  const waiting = new Map<number, () => void>();
  sync.on('bench.pong', (event) => waiting.get(event.data.seq)?.());
  const rawPub = await createRedisClient(REDIS_URL, CLIENT_OPTIONS);
  const rawSub = await createRedisClient(REDIS_URL, {
    ...CLIENT_OPTIONS,
    enableOfflineQueue: true,
  });
  rawSub.on('message', (_channel: string, message: string) => waiting.get(Number(message))?.());
  await rawSub.subscribe(`${prefix}raw:pong`);
  await bus.settled();
  let seq = 0;
  const roundTrip = (send: (n: number) => Promise<unknown>) => () => {
    const n = seq++;
    const answered = new Promise<void>((resolve) => waiting.set(n, resolve));
    send(n).catch((error: unknown) => console.error('bench: a ping failed', error));
    return answered.finally(() => waiting.delete(n));
  };
  const results = await compareLatency(
    {
      hybridstate: roundTrip((n) => sync.publish('bench.ping', { seq: n })),
      ioredis: roundTrip((n) => rawPub.publish(`${prefix}raw:ping`, String(n))),
    },
    2000,
    3,
  );
  for (const [impl, { p50, p99 }] of Object.entries(results)) {
    report.add({
      case: 'cross-process round trip',
      impl,
      metric: 'p50_us',
      value: p50,
      unit: 'us',
    });
    report.add({
      case: 'cross-process round trip',
      impl,
      metric: 'p99_us',
      value: p99,
      unit: 'us',
    });
    for (const [metric, value] of [
      ['p50_us', p50 / 2],
      ['p99_us', p99 / 2],
    ] as const)
      report.add({ case: 'cross-process one way (RTT/2)', impl, metric, value, unit: 'us' });
  }
  report.ratio(
    'hybridstate / ioredis round trip p50',
    results.hybridstate!.p50,
    results.ioredis!.p50,
  );
  report.ratio(
    'hybridstate / ioredis round trip p99',
    results.hybridstate!.p99,
    results.ioredis!.p99,
  );
  await echo.stop();
  await sync.close();
  await bus.close();
  for (const client of [redis, rawPub, rawSub]) client.disconnect();
}

async function listen(server: ReturnType<typeof createServer>): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function fanOut(): Promise<void> {
  const redis = await createRedisClient(REDIS_URL, CLIENT_OPTIONS);
  const bus = new RedisMessageBus(redis, { channelPrefix: prefix });
  const sync = new SyncService({ bus, catalog: benchEvents });
  const ours = createServer();
  const gateway = attachSyncGateway(ours, {
    service: sync,
    redis,
    adapterKey: `${prefix}sio`,
    authenticate: adminTokenAuthenticator([TOKEN]),
  });
  const peerServer = createServer();
  const peer = new Server(peerServer, { path: '/raw', serveClient: false });
  const common = { HS_CLIENTS: String(CLIENTS), HS_TOKEN: TOKEN };
  const oursUrl = await listen(ours);
  const peerUrl = await listen(peerServer);
  const oursClients = await child('./lib/sync-fanout-clients.ts', {
    ...common,
    HS_URL: oursUrl,
    HS_PATH: '/sync',
    HS_SUBSCRIBE: '1',
  });
  const peerClients = await child('./lib/sync-fanout-clients.ts', {
    ...common,
    HS_URL: peerUrl,
    HS_PATH: '/raw',
    HS_SUBSCRIBE: '0',
  });
  const done = new Map<number, (doneAt: number) => void>();
  for (const clients of [oursClients, peerClients])
    clients.onLine((line) => {
      const { seq, doneAt } = JSON.parse(line) as { seq: number; doneAt: number };
      done.get(seq)?.(doneAt);
    });
  let seq = 0;
  const deliver = async (send: (n: number, sentAt: number) => unknown): Promise<number> => {
    const n = seq++;
    const finished = new Promise<number>((resolve) => done.set(n, resolve));
    const sentAt = wallNow();
    send(n, sentAt);
    const doneAt = await finished;
    done.delete(n);
    return doneAt - sentAt;
  };
  const impls = {
    hybridstate: (n: number, sentAt: number) => sync.publish('bench.fanout', { seq: n, sentAt }),
    'socket.io': (n: number, sentAt: number) =>
      peer.emit('sync:event', {
        type: 'bench.fanout',
        data: { seq: n, sentAt },
        id: randomUUID(),
        ts: Date.now(),
      }),
  };
  const samples: Record<string, number[]> = { hybridstate: [], 'socket.io': [] };
  for (let i = 0; i < 10; i++) for (const send of Object.values(impls)) await deliver(send);
  for (let i = 0; i < FANOUT_EVENTS; i++)
    for (const [impl, send] of Object.entries(impls)) samples[impl]!.push(await deliver(send));
  const caseName = `fan-out to ${CLIENTS} clients`;
  const stats: Record<string, { p50: number; p99: number }> = {};
  for (const [impl, values] of Object.entries(samples)) {
    values.sort((a, b) => a - b);
    const p50 = values[Math.floor(values.length * 0.5)]!;
    const p99 = values[Math.min(values.length - 1, Math.floor(values.length * 0.99))]!;
    stats[impl] = { p50, p99 };
    report.add({ case: caseName, impl, metric: 'p50_ms', value: p50, unit: 'ms' });
    report.add({ case: caseName, impl, metric: 'p99_ms', value: p99, unit: 'ms' });
  }
  report.ratio(
    'hybridstate / socket.io fan-out p50',
    stats.hybridstate!.p50,
    stats['socket.io']!.p50,
  );
  report.ratio(
    'hybridstate / socket.io fan-out p99',
    stats.hybridstate!.p99,
    stats['socket.io']!.p99,
  );
  await Promise.all([oursClients.stop(), peerClients.stop()]);
  await gateway.close();
  peer.close();
  ours.close();
  await sync.close();
  await bus.close();
  redis.disconnect();
}

await crossProcess();
await fanOut();
await report.write();
process.exit(0);
