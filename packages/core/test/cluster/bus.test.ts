import { fileURLToPath } from 'node:url';
import type { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWorker, uniqueId } from '../../../../test-support/index.ts';
import { type RedisCluster, startRedisCluster } from '../../../../test-support/redis-cluster.ts';
import { createRedisClusterClient, RedisMessageBus } from '../../src/index.ts';
import { registerMessageBusContract } from '../../src/testing/index.ts';

const PEER = fileURLToPath(new URL('./workers/bus-peer.ts', import.meta.url));

let cluster: RedisCluster;
beforeAll(async () => {
  cluster = await startRedisCluster();
});
afterAll(async () => cluster?.stop());

const opened: { bus: RedisMessageBus; redis: Cluster }[] = [];
afterAll(async () => {
  for (const { bus, redis } of opened) {
    await bus.close();
    redis.disconnect();
  }
});

async function openBus(channelPrefix: string, readyTimeoutMs?: number) {
  const redis = await createRedisClusterClient(cluster.seeds, {}, {}, readyTimeoutMs);
  const bus = new RedisMessageBus(redis, { channelPrefix });
  opened.push({ bus, redis });
  return { bus, redis };
}

async function waitFor(
  condition: () => boolean,
  timeoutMs = 20_000,
  state: () => string = () => '',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met in time ${state()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Publish numbered messages until one arrives (a failover may drop the first), then one more. */
async function deliveryResumes(from: RedisMessageBus, heard: string[], channel: string) {
  for (let i = 0; !heard.some((m) => m.startsWith('probe-')); i++) {
    if (i > 400) throw new Error(`no message crossed after the failover (${from.dropped} dropped)`);
    await from.publish(channel, `probe-${i}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await from.publish(channel, 'after');
  await waitFor(() => heard.includes('after'));
}

/** A live master other than `port` that still has a live replica (so it can fail over). */
async function otherMasterWithReplica(redis: Cluster, port: number): Promise<number> {
  const lines = String(await redis.cluster('NODES'))
    .split('\n')
    .map((line) => line.split(' '))
    .filter((f) => f.length > 3 && !f[2]!.includes('fail'));
  const backed = new Set(lines.filter((f) => f[2]!.includes('slave')).map((f) => f[3]));
  const master = lines.find(
    (f) => f[2]!.includes('master') && backed.has(f[0]) && !f[1]!.includes(`:${port}@`),
  );
  if (master === undefined) throw new Error('no other master of the test cluster has a replica');
  return Number(master[1]!.split('@')[0]!.split(':').at(-1));
}

/** A slot the master listening on `port` serves (to kill exactly that node). */
async function slotServedBy(redis: Cluster, port: number): Promise<number> {
  const ranges = await redis.cluster('SLOTS');
  const range = ranges.find(([, , master]) => master?.[1] === port);
  if (range === undefined) throw new Error(`node ${port} is not a master`);
  return range[0];
}

registerMessageBusContract('RedisMessageBus on a Redis Cluster', async () => {
  const redis = await createRedisClusterClient(cluster.seeds);
  const bus = new RedisMessageBus(redis, { channelPrefix: `${uniqueId()}:contract:` });
  return { bus, settled: () => bus.settled(), cleanup: async () => redis.disconnect() };
});

describe('RedisMessageBus on a Redis Cluster', () => {
  it('two processes exchange messages through the cluster, in order', async () => {
    const channelPrefix = `${uniqueId()}:`;
    const { bus } = await openBus(channelPrefix);
    const pongs: string[] = [];
    bus.subscribe('pong', (payload) => pongs.push(payload));
    await bus.settled();
    const peer = runWorker<{ heard: string[]; dropped: number }>(PEER, {
      REDIS_CLUSTER_NODES: cluster.nodesVariable,
      HS_CHANNEL_PREFIX: channelPrefix,
    });
    await waitFor(() => pongs.includes('ready'));
    // Unawaited, like handlers publish: ordered through one node (a random node each would not).
    const pings = Array.from({ length: 50 }, (_, n) => String(n));
    await Promise.all(pings.map((n) => bus.publish('ping', n)));
    await waitFor(
      () => pongs.length === 1 + pings.length,
      20_000,
      () => pongs.join(','),
    );
    await bus.publish('stop', '');
    expect(await peer).toEqual({ heard: pings, dropped: 0 });
    expect(pongs).toEqual(['ready', ...pings.map((n) => `pong:${n}`)]);
  });

  it('starts while the cluster is unreachable, and connects once it is back', async () => {
    await Promise.all(cluster.nodes.map((node) => node.server.stop()));
    const channelPrefix = `${uniqueId()}:`;
    const { bus } = await openBus(channelPrefix, 200);
    const local: string[] = [];
    bus.subscribe('c', (payload) => local.push(payload));
    await bus.publish('c', 'while-down');
    expect(local).toEqual(['while-down']);
    expect(bus.dropped).toBe(1);
    expect(bus.connected).toBe(false);

    await Promise.all(cluster.nodes.map((node) => node.server.start()));
    await cluster.waitUntilHealthy();
    await waitFor(() => bus.connected);
    await bus.settled();
    const other = await openBus(channelPrefix);
    await deliveryResumes(other.bus, local, 'c');
  });

  it("moves to another node when its subscriber's node dies, resyncs, and hears again", {
    timeout: 60_000,
  }, async () => {
    const channelPrefix = `${uniqueId()}:`;
    const a = await openBus(channelPrefix);
    const b = await openBus(channelPrefix);
    const heard: string[] = [];
    let resyncs = 0;
    b.bus.subscribe('c', (payload) => heard.push(payload));
    b.bus.onResync(() => resyncs++);
    await b.bus.settled();
    await a.bus.publish('c', 'before');
    await waitFor(() => heard.includes('before'));

    const before = b.bus.subscriberNode.port;
    await cluster.killMaster(await slotServedBy(b.redis, before));
    await waitFor(() => resyncs >= 1 && b.bus.connected);
    expect(b.bus.subscriberNode.port).not.toBe(before);
    await b.bus.settled();
    await deliveryResumes(a.bus, heard, 'c');
  });

  it('keeps its subscription when an unrelated master dies', { timeout: 60_000 }, async () => {
    const channelPrefix = `${uniqueId()}:`;
    const a = await openBus(channelPrefix);
    const b = await openBus(channelPrefix);
    const heard: string[] = [];
    let resyncs = 0;
    b.bus.subscribe('c', (payload) => heard.push(payload));
    b.bus.onResync(() => resyncs++);
    await b.bus.settled();
    const listening = b.bus.subscriberNode.port;
    const other = await otherMasterWithReplica(b.redis, listening);
    await cluster.killMaster(await slotServedBy(b.redis, other));
    await deliveryResumes(a.bus, heard, 'c');
    expect(b.bus.subscriberNode.port).toBe(listening);
    // B resyncs only if A dropped messages (A's master may have been the one killed).
    await waitFor(() => a.bus.dropped === 0 || resyncs > 0);
    expect(resyncs > 0).toBe(a.bus.dropped > 0);
  });

  it('a publisher whose master hangs drops messages, then tells the others to resync', async () => {
    const channelPrefix = `${uniqueId()}:`;
    const a = await openBus(channelPrefix);
    const b = await openBus(channelPrefix);
    const heard: string[] = [];
    let resyncs = 0;
    b.bus.subscribe('c', (payload) => heard.push(payload));
    b.bus.onResync(() => resyncs++);
    await b.bus.settled();
    await a.bus.publish('c', 'before');
    await waitFor(() => heard.includes('before'));

    const port = a.bus.publisherNode?.port;
    const node = cluster.nodes.find((n) => n.port === port);
    if (node === undefined) throw new Error(`A publishes through ${port}, not a test node`);
    // Frozen shorter than cluster-node-timeout: no failover, the publish times out.
    node.server.pause();
    try {
      await a.bus.publish('c', 'lost');
    } finally {
      node.server.resume();
    }
    expect(a.bus.dropped).toBe(1);
    await waitFor(() => resyncs === 1);
    await deliveryResumes(a.bus, heard, 'c');
    expect(resyncs).toBe(1);
  });
});
