/**
 * Child process for the cluster bus test: a RedisMessageBus on the Redis Cluster named by
 * REDIS_CLUSTER_NODES (through loadConfig and connectRedis, like an app). It answers each
 * `ping` with a `pong`, says `ready` once subscribed, and on `stop` prints what it heard.
 */
import { connectRedis, loadConfig, RedisMessageBus } from '../../../src/index.ts';

const config = loadConfig({ REDIS_CLUSTER_NODES: process.env.REDIS_CLUSTER_NODES });
if (config.redis.mode !== 'redis' || config.redis.cluster === undefined)
  throw new Error('REDIS_CLUSTER_NODES is not set');
const redis = await connectRedis(config.redis);
const bus = new RedisMessageBus(redis, { channelPrefix: process.env.HS_CHANNEL_PREFIX! });
const heard: string[] = [];
const stopped = new Promise<void>((resolve) => {
  bus.subscribe('ping', (payload) => {
    heard.push(payload);
    void bus.publish('pong', `pong:${payload}`);
  });
  bus.subscribe('stop', () => resolve());
});
// Waits for the subscriber connection to open, then for the SUBSCRIBEs.
await bus.settled();
await bus.publish('pong', 'ready');
await stopped;
process.stdout.write(JSON.stringify({ heard, dropped: bus.dropped }));
await bus.close();
redis.disconnect();
