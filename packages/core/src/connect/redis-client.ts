import { Cluster, type ClusterOptions, Redis, type RedisOptions } from 'ioredis';
import type { RedisConfig, RedisNode } from '../config/redis-config.ts';
import type { RedisClient } from '../tiers/redis-tier.ts';

/**
 * Client options that keep every call bounded while Redis is unreachable: no offline queue
 * (commands fail at once while disconnected instead of waiting), a per-command timeout, no
 * re-sending of unanswered commands after a reconnect, and capped reconnect backoff.
 */
export const REDIS_CLIENT_DEFAULTS = {
  /** A command that gets no reply within this many ms fails with HS_TIER_UNAVAILABLE. */
  commandTimeout: 250,
  connectTimeout: 1000,
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
  autoResendUnfulfilledCommands: false,
  // Off: no faster here (bench/clients.ts), adds latency to lone commands, and a command could
  // queue behind a pipeline that is timing out, doubling the wait on a hung Redis.
  enableAutoPipelining: false,
  lazyConnect: true,
  retryStrategy: (attempt: number) => Math.min(attempt * 100, 2000),
} as const satisfies RedisOptions;

/**
 * Create an ioredis client for `url` with {@link REDIS_CLIENT_DEFAULTS} and wait until it
 * is ready or `readyTimeoutMs` passes. It never throws for an unreachable server: it keeps
 * reconnecting in the background, and the store's circuit breaker routes around it.
 *
 * ioredis was chosen over node-redis for its built-in per-command timeout (bounded calls
 * while Redis hangs) and its Cluster client; node-redis measured the same round trip and
 * more 64-way throughput here (bench/clients.ts, see the README).
 *
 * @example
 * ```ts
 * const redis = await createRedisClient(config.redis.url);
 * ```
 */
export async function createRedisClient(
  url: string,
  options: RedisOptions = {},
  readyTimeoutMs = 2000,
): Promise<Redis> {
  const client = new Redis(url, { ...REDIS_CLIENT_DEFAULTS, ...options });
  // Without a listener ioredis prints every connection error; the breaker reports them instead.
  client.on('error', () => undefined);
  const timeout = new Promise<void>((resolve) => setTimeout(resolve, readyTimeoutMs).unref());
  await Promise.race([client.connect().catch(() => undefined), timeout]);
  return client;
}

/**
 * Cluster options on top of {@link REDIS_CLIENT_DEFAULTS} (which every node connection gets):
 * reads and writes go to masters only (a replica may lag, and locks and journals must be
 * read where they were written), no offline queue, and short waits while a failover or a slot
 * move is in progress, so a command during a failover either lands on the new master or
 * fails fast and the store's circuit breaker routes around it.
 */
export const REDIS_CLUSTER_DEFAULTS = {
  scaleReads: 'master',
  enableOfflineQueue: false,
  lazyConnect: true,
  slotsRefreshTimeout: 1000,
  retryDelayOnFailover: 100,
  retryDelayOnClusterDown: 100,
  retryDelayOnTryAgain: 100,
  retryDelayOnMoved: 0,
  maxRedirections: 16,
  clusterRetryStrategy: (attempt: number) => Math.min(attempt * 100, 2000),
} as const satisfies ClusterOptions;

/**
 * Create an ioredis Cluster client for seed `nodes` with {@link REDIS_CLUSTER_DEFAULTS}, and
 * wait until it is ready or `readyTimeoutMs` passes (it never throws for an unreachable
 * cluster; it keeps trying in the background). `redisOptions` apply to every node connection
 * (credentials, TLS, timeouts).
 *
 * @example
 * ```ts
 * const redis = await createRedisClusterClient([{ host: '10.0.0.1', port: 6379 }]);
 * ```
 */
export async function createRedisClusterClient(
  nodes: readonly RedisNode[],
  redisOptions: RedisOptions = {},
  clusterOptions: ClusterOptions = {},
  readyTimeoutMs = 2000,
): Promise<Cluster> {
  const { lazyConnect: _lazy, ...nodeDefaults } = REDIS_CLIENT_DEFAULTS;
  const client = new Cluster(
    nodes.map((node) => ({ host: node.host, port: node.port })),
    {
      ...REDIS_CLUSTER_DEFAULTS,
      ...clusterOptions,
      redisOptions: { ...nodeDefaults, ...redisOptions },
    },
  );
  client.on('error', () => undefined);
  const timeout = new Promise<void>((resolve) => setTimeout(resolve, readyTimeoutMs).unref());
  await Promise.race([client.connect().catch(() => undefined), timeout]);
  return client;
}

/**
 * Connect to the Redis a configuration names: a single server, or a Redis Cluster when
 * `REDIS_CLUSTER_NODES` (or `?cluster=true` on the URL) is set. Credentials and TLS
 * (`rediss://`) of the URL apply to every cluster node.
 *
 * @example
 * ```ts
 * const config = loadConfig(appEnvironment);
 * const redis = config.redis.mode === 'redis' ? await connectRedis(config.redis) : undefined;
 * ```
 */
export async function connectRedis(
  config: Extract<RedisConfig, { mode: 'redis' }>,
  options: RedisOptions = {},
  readyTimeoutMs = 2000,
): Promise<RedisClient> {
  if (config.cluster === undefined) return createRedisClient(config.url, options, readyTimeoutMs);
  const url = new URL(config.url);
  const credentials: RedisOptions = {
    ...(url.username === '' ? {} : { username: decodeURIComponent(url.username) }),
    ...(url.password === '' ? {} : { password: decodeURIComponent(url.password) }),
    ...(url.protocol === 'rediss:' ? { tls: {} } : {}),
  };
  return createRedisClusterClient(
    config.cluster,
    { ...credentials, ...options },
    {},
    readyTimeoutMs,
  );
}
