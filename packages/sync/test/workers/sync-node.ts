/**
 * One server instance for the multi-process tests: a SyncService on a RedisMessageBus, a
 * /sync gateway with the Redis adapter, driven by JSON lines on stdin. Exits when stdin ends.
 */
import { createInterface } from 'node:readline';
import { createRedisClient, RedisMessageBus } from '@hybridstate/core';
import type { SyncEvent } from '../../src/index.ts';
import { startGateway } from '../support/gateway-fixture.ts';

const env = process.env;
const redis = await createRedisClient(env.HS_REDIS_URL!);
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
  status: () => ({ connected: bus.connected, resyncs, handled, dropped: bus.dropped }),
  setCache: (c) => fixture.service.setCache(String(c.key), c.value),
  getCache: (c) => fixture.service.getCache(String(c.key)) ?? null,
  disconnectUser: (c) => fixture.gateway.disconnectUser(String(c.userId)),
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
