import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type RedisServer,
  startRedisServer,
  TEST_REDIS_URL,
  uniqueId,
} from '../../../test-support/index.ts';
import { connect, TEST_ADMIN_TOKEN, type TestClient, waitFor } from './support/gateway-fixture.ts';
import { miniAppAuth } from './support/mini-app.ts';
import { type NodeProcess, startNodeProcess } from './support/node-process.ts';

const WORKER = fileURLToPath(new URL('./workers/sync-node.ts', import.meta.url));

interface Status {
  connected: boolean;
  resyncs: number;
  handled: string[];
  dropped: number;
}

const processes: NodeProcess[] = [];
const clients: TestClient[] = [];
let redisServer: RedisServer | undefined;
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await Promise.all(processes.splice(0).map((p) => p.stop()));
  await redisServer?.stop();
  redisServer = undefined;
});

async function startNodes(redisUrl: string): Promise<[NodeProcess, NodeProcess]> {
  const env = { HS_REDIS_URL: redisUrl, HS_PREFIX: `${uniqueId()}:` };
  const nodes = await Promise.all([startNodeProcess(WORKER, env), startNodeProcess(WORKER, env)]);
  processes.push(...nodes);
  return nodes as [NodeProcess, NodeProcess];
}

async function client(node: NodeProcess, auth: Record<string, unknown>, events: string[]) {
  const c = await connect(String(node.hello.url), auth);
  clients.push(c);
  expect(await c.frame('subscribe', events)).toMatchObject({ ok: true });
  return c;
}

describe('two server processes on one Redis', () => {
  it('an event published on one reaches sockets on the other; patterns receive only what matches', async () => {
    const [a, b] = await startNodes(TEST_REDIS_URL);
    const buttonsOnB = await client(b, { token: TEST_ADMIN_TOKEN }, ['buttons.*']);
    const everythingOnA = await client(a, { token: TEST_ADMIN_TOKEN }, ['*']);
    const exactOnB = await client(b, { token: TEST_ADMIN_TOKEN }, ['tasks.deleted']);
    await a.request({ cmd: 'publish', type: 'tasks.created', data: { id: 1 } });
    await a.request({ cmd: 'publish', type: 'buttons.updated', data: { id: 2 } });
    await b.request({ cmd: 'publish', type: 'tasks.deleted', data: { id: 3 } });
    await waitFor(() => everythingOnA.events.length === 3);
    await waitFor(() => buttonsOnB.events.length === 1 && exactOnB.events.length === 1);
    expect(buttonsOnB.events.map((e) => e.type)).toEqual(['buttons.updated']);
    expect(exactOnB.events.map((e) => e.type)).toEqual(['tasks.deleted']);
    expect(everythingOnA.events.map((e) => e.type).sort()).toEqual([
      'buttons.updated',
      'tasks.created',
      'tasks.deleted',
    ]);
    // Server-side handlers ran in both processes, once per event.
    const status = await b.request<Status>({ cmd: 'status' });
    expect(status.handled.sort()).toEqual([
      'buttons.updated:{"id":2}',
      'tasks.created:{"id":1}',
      'tasks.deleted:{"id":3}',
    ]);
  });

  it("a Mini App user on one process never receives another user's balance event from the other", async () => {
    const [a, b] = await startNodes(TEST_REDIS_URL);
    const userA = await client(a, miniAppAuth(501), ['*']);
    const userB = await client(b, miniAppAuth(502), ['users.*']);
    await b.request({
      cmd: 'publish',
      type: 'users.balance_updated',
      data: { userId: 502, balance: 9 },
    });
    await a.request({
      cmd: 'publish',
      type: 'users.balance_updated',
      data: { userId: 501, balance: 1 },
    });
    await a.request({ cmd: 'publish', type: 'payouts.created', data: { id: 'p', userId: 502 } });
    await b.request({ cmd: 'publish', type: 'tasks.created', data: { id: 'marker' } });
    await waitFor(() => userA.events.some((e) => e.type === 'tasks.created'));
    await waitFor(() => userB.events.length === 1);
    expect(userA.events.map((e) => [e.type, e.data])).toEqual([
      ['users.balance_updated', { userId: 501, balance: 1 }],
      ['tasks.created', { id: 'marker' }],
    ]);
    expect(userB.events.map((e) => e.data)).toEqual([{ userId: 502, balance: 9 }]);
  });

  it('disconnectUser on one process closes the user’s socket on the other (Redis adapter)', async () => {
    const [a, b] = await startNodes(TEST_REDIS_URL);
    const user = await client(b, miniAppAuth(777), ['tasks.*']);
    const bystander = await client(b, miniAppAuth(778), ['tasks.*']);
    const closed = new Promise((resolve) => user.socket.on('disconnect', resolve));
    await a.request({ cmd: 'disconnectUser', userId: 777 });
    expect(await closed).toBe('io server disconnect');
    expect(bystander.socket.connected).toBe(true);
  });
});

describe('Redis stopped mid-test', () => {
  it('each process keeps working locally; after Redis returns, caches were flushed and cross-process delivery resumes', async () => {
    redisServer = await startRedisServer();
    const [a, b] = await startNodes(redisServer.url);
    const onA = await client(a, { token: TEST_ADMIN_TOKEN }, ['tasks.*']);
    const onB = await client(b, { token: TEST_ADMIN_TOKEN }, ['tasks.*']);
    await a.request({ cmd: 'setCache', key: 'buttons:main', value: ['Go'] });
    await b.request({ cmd: 'setCache', key: 'buttons:main', value: ['Go'] });

    await redisServer.stop();
    for (const node of [a, b]) {
      await waitForStatus(node, (s) => !s.connected);
    }
    // Local-only: each process's own sockets and handlers still get its events.
    await a.request({ cmd: 'publish', type: 'tasks.created', data: { id: 'down-a' } });
    await b.request({ cmd: 'publish', type: 'tasks.created', data: { id: 'down-b' } });
    await waitFor(() => onA.events.length === 1 && onB.events.length === 1);
    expect(onA.events[0]?.data).toEqual({ id: 'down-a' });
    expect(onB.events[0]?.data).toEqual({ id: 'down-b' });
    expect((await a.request<Status>({ cmd: 'status' })).dropped).toBeGreaterThan(0);
    // The cache still serves locally while Redis is down.
    expect(await a.request({ cmd: 'getCache', key: 'buttons:main' })).toEqual(['Go']);

    await redisServer.start();
    for (const node of [a, b]) await waitForStatus(node, (s) => s.connected && s.resyncs === 1);
    // Flushed: invalidations of the outage may have been missed.
    expect(await a.request({ cmd: 'getCache', key: 'buttons:main' })).toBeNull();
    expect(await b.request({ cmd: 'getCache', key: 'buttons:main' })).toBeNull();
    await a.request({ cmd: 'publish', type: 'tasks.updated', data: { id: 'back' } });
    await waitFor(() => onB.events.length === 2);
    expect(onB.events[1]?.data).toEqual({ id: 'back' });
    expect(onA.socket.connected && onB.socket.connected).toBe(true);
  });
});

async function waitForStatus(node: NodeProcess, check: (s: Status) => boolean): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!check(await node.request<Status>({ cmd: 'status' }))) {
    if (Date.now() > deadline) throw new Error('status not reached');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
