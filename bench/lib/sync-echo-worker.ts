/**
 * The far end of the cross-process bench: answers each ping with a pong, through a
 * hybridstate SyncService on a RedisMessageBus and through raw ioredis pub/sub. Prints
 * "ready" once both listen; exits when stdin closes.
 */
import { createRedisClient, RedisMessageBus } from '@hybridstate/core';
import { SyncService } from '@hybridstate/sync';
import { benchEvents } from './sync-bench-events.ts';

const url = process.env.HS_REDIS_URL!;
const prefix = process.env.HS_PREFIX!;
const options = { commandTimeout: 5000 };
const redis = await createRedisClient(url, options);
const bus = new RedisMessageBus(redis, { channelPrefix: prefix });
const sync = new SyncService({ bus, catalog: benchEvents });
sync.on('bench.ping', (event) => {
  sync.publish('bench.pong', { seq: event.data.seq }).catch(report);
});

const rawPub = await createRedisClient(url, options);
const rawSub = await createRedisClient(url, { ...options, enableOfflineQueue: true });
rawSub.on('message', (_channel: string, message: string) => {
  rawPub.publish(`${prefix}raw:pong`, message).catch(report);
});

function report(error: unknown): void {
  console.error('echo worker: a pong failed', error);
}
await rawSub.subscribe(`${prefix}raw:ping`);
await bus.settled();
process.stdout.write('ready\n');
process.stdin.resume();
process.stdin.on('end', async () => {
  await sync.close();
  await bus.close();
  for (const client of [redis, rawPub, rawSub]) client.disconnect();
  process.exit(0);
});
