/**
 * One server instance for the multi-process tests: a SyncService on a RedisMessageBus, a
 * /sync gateway with the Redis adapter (a single Redis, HS_REDIS_URL, or a Redis Cluster,
 * HS_REDIS_CLUSTER_NODES), driven by JSON lines on stdin. Exits when stdin ends.
 */
import { createInterface } from 'node:readline';
import { connectRedis, loadConfig, RedisMessageBus } from '@hybridstate/core';
import { userRoom } from '../../src/gateway/event-rooms.ts';
import type { SyncEvent } from '../../src/index.ts';
import { startGateway } from '../support/gateway-fixture.ts';

const env = process.env;
// HS_REDIS_CLUSTER_NODES names a Redis Cluster, as REDIS_CLUSTER_NODES does for an app.
const { redis: config } = loadConfig({
  REDIS_URL: env.HS_REDIS_URL,
  REDIS_CLUSTER_NODES: env.HS_REDIS_CLUSTER_NODES,
});
if (config.mode !== 'redis') throw new Error('set HS_REDIS_URL or HS_REDIS_CLUSTER_NODES');
const redis = await connectRedis(config);
const bus = new RedisMessageBus(redis, { channelPrefix: env.HS_PREFIX! });
const fixture = await startGateway({
  bus,
  redis,
  gateway: { adapterKey: `${env.HS_PREFIX}sio` },
});
const handled: string[] = [];
let resyncs = 0;
fixture.service.on('*', (event: SyncEvent) => {
  handled.push(`${event.type}:${JSON.stringify(event.data)}`);
});
fixture.service.onResync(() => resyncs++);
await bus.settled();

const commands: Record<string, (c: Record<string, unknown>) => unknown> = {
  publish: async (c) => (await fixture.service.publish(c.type as never, c.data as never)).id,
  status: () => ({
    connected: bus.connected,
    resyncs,
    handled,
    dropped: bus.dropped,
    subscriberPort: bus.subscriberNode.port,
    adapterPort: adapterSubscriberPort(),
  }),
  setCache: (c) => fixture.service.setCache(String(c.key), c.value),
  getCache: (c) => fixture.service.getCache(String(c.key)) ?? null,
  disconnectUser: (c) => fixture.gateway.disconnectUser(String(c.userId)),
  // Straight through socket.io and its Redis adapter, not through the bus.
  emitToUser: (c) => fixture.gateway.io.to(userRoom(String(c.userId))).emit('sync:event', c.event),
};

process.stdout.write(`${JSON.stringify({ url: fixture.url })}\n`);
const lines = createInterface({ input: process.stdin });
lines.on('line', async (line) => {
  const command = JSON.parse(line) as Record<string, unknown>;
  const result = await commands[String(command.cmd)]!(command);
  process.stdout.write(`${JSON.stringify({ id: command.id, result: result ?? null })}\n`);
});
lines.on('close', async () => {
  await fixture.close();
  await bus.close();
  redis.disconnect();
  process.exit(0);
});

/**
 * The node the socket.io adapter's cluster client subscribes on (ioredis internals: the
 * Cluster's ClusterSubscriber), or null on a single Redis.
 */
function adapterSubscriberPort(): number | null {
  const adapter = fixture.gateway.io.of('/').adapter as unknown as {
    subClient?: { subscriber?: { getInstance(): { options: { port?: number } } | undefined } };
  };
  return adapter.subClient?.subscriber?.getInstance()?.options.port ?? null;
}
