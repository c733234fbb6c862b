import { fileURLToPath } from 'node:url';
import { createRedisClusterClient } from '@hybridstate/core';
import type { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueId } from '../../../../test-support/index.ts';
import { type RedisCluster, startRedisCluster } from '../../../../test-support/redis-cluster.ts';
import { connect, TEST_ADMIN_TOKEN, type TestClient, waitFor } from '../support/gateway-fixture.ts';
import { miniAppAuth } from '../support/mini-app.ts';
import { type NodeProcess, startNodeProcess } from '../support/node-process.ts';

const WORKER = fileURLToPath(new URL('../workers/sync-node.ts', import.meta.url));

interface Status {
  connected: boolean;
  resyncs: number;
  dropped: number;
  subscriberPort: number;
  adapterPort: number | null;
}

let cluster: RedisCluster;
let admin: Cluster;
let a: NodeProcess;
let b: NodeProcess;
const clients: TestClient[] = [];

beforeAll(async () => {
  cluster = await startRedisCluster();
  admin = await createRedisClusterClient(cluster.seeds);
  const env = { HS_REDIS_CLUSTER_NODES: cluster.nodesVariable, HS_PREFIX: `${uniqueId()}:` };
  [a, b] = await Promise.all([startNodeProcess(WORKER, env), startNodeProcess(WORKER, env)]);
});
afterAll(async () => {
  for (const client of clients) client.close();
  await Promise.all([a?.stop(), b?.stop()]);
  admin?.disconnect();
  await cluster?.stop();
});

async function client(node: NodeProcess, auth: Record<string, unknown>, events: string[]) {
  const c = await connect(String(node.hello.url), auth);
  clients.push(c);
  expect(await c.frame('subscribe', events)).toMatchObject({ ok: true });
  return c;
}

async function waitForStatus(node: NodeProcess, check: (s: Status) => boolean): Promise<Status> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const status = await node.request<Status>({ cmd: 'status' });
    if (check(status)) return status;
    if (Date.now() > deadline) throw new Error(`status not reached: ${JSON.stringify(status)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Send numbered probes until one arrives (a failover may drop the first ones). */
async function deliveryResumes(send: (n: number) => Promise<unknown>, arrived: () => boolean) {
  for (let n = 0; !arrived(); n++) {
    if (n > 200) throw new Error('nothing crossed the cluster after the failover');
    await send(n);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const balance = (userId: number, n: number) => ({
  type: 'users.balance_updated',
  data: { userId, balance: n },
  id: `e${n}`,
  ts: 0,
});

describe('two /sync gateways on a Redis Cluster', () => {
  it('bus events, socket.io room emits and disconnectUser cross the gateways', async () => {
    await Promise.all([a, b].map((node) => waitForStatus(node, (s) => s.connected)));
    const adminOnA = await client(a, { token: TEST_ADMIN_TOKEN }, ['*']);
    const userOnA = await client(a, miniAppAuth(901), ['users.*']);
    const leaving = await client(a, miniAppAuth(902), ['tasks.*']);
    await b.request({ cmd: 'publish', type: 'tasks.created', data: { id: 1 } });
    await b.request({ cmd: 'publish', type: 'tasks.updated', data: { id: 1 } });
    await waitFor(() => adminOnA.events.length === 2);
    expect(adminOnA.events.map((e) => e.type)).toEqual(['tasks.created', 'tasks.updated']);

    for (let n = 1; n <= 20; n++)
      await b.request({ cmd: 'emitToUser', userId: 901, event: balance(901, n) });
    await waitFor(() => userOnA.events.length === 20);
    // In order: every PUBLISH of the adapter leaves through one node.
    expect(userOnA.events.map((e) => e.id)).toEqual(
      Array.from({ length: 20 }, (_, i) => `e${i + 1}`),
    );

    const closed = new Promise((resolve) => leaving.socket.on('disconnect', resolve));
    await b.request({ cmd: 'disconnectUser', userId: 902 });
    expect(await closed).toBe('io server disconnect');
    expect(userOnA.socket.connected).toBe(true);
  });

  it('after the master under a gateway is killed, its bus moves and resyncs (caches flushed), and delivery resumes', async () => {
    await a.request({ cmd: 'setCache', key: 'buttons:main', value: ['Go'] });
    const adminOnA = await client(a, { token: TEST_ADMIN_TOKEN }, ['tasks.*']);
    const userOnA = await client(a, miniAppAuth(903), ['users.*']);
    const { subscriberPort } = await waitForStatus(a, (s) => s.connected);
    const ranges = await admin.cluster('SLOTS');
    const slot = ranges.find(([, , master]) => master?.[1] === subscriberPort)?.[0];
    if (slot === undefined) throw new Error(`gateway A listens on ${subscriberPort}, not a master`);

    const { node } = await cluster.killMaster(slot);
    const after = await waitForStatus(a, (s) => s.connected && s.resyncs === 1);
    expect(after.subscriberPort).not.toBe(subscriberPort);
    expect(await a.request({ cmd: 'getCache', key: 'buttons:main' })).toBeNull();

    await deliveryResumes(
      (n) => b.request({ cmd: 'publish', type: 'tasks.created', data: { id: n } }),
      () => adminOnA.events.length > 0,
    );
    await deliveryResumes(
      (n) => b.request({ cmd: 'emitToUser', userId: 903, event: balance(903, n) }),
      () => userOnA.events.length > 0,
    );
    expect(adminOnA.socket.connected && userOnA.socket.connected).toBe(true);
    // Back as a replica of the promoted node, so the next test's master can fail over too.
    await node.server.start();
    await cluster.waitUntilHealthy();
  });

  it("after the master under gateway A's socket.io adapter is killed, room emits reach A again", async () => {
    const userOnA = await client(a, miniAppAuth(904), ['users.*']);
    const { adapterPort } = await waitForStatus(a, (s) => s.adapterPort !== null);
    const ranges = await admin.cluster('SLOTS');
    const slot = ranges.find(([, , master]) => master?.[1] === adapterPort)?.[0];
    if (slot === undefined) throw new Error(`A's adapter listens on ${adapterPort}, not a master`);

    await cluster.killMaster(slot);
    await waitForStatus(a, (s) => s.adapterPort !== null && s.adapterPort !== adapterPort);
    await deliveryResumes(
      (n) => b.request({ cmd: 'emitToUser', userId: 904, event: balance(904, n) }),
      () => userOnA.events.length > 0,
    );
    expect(userOnA.socket.connected).toBe(true);
  });
});
