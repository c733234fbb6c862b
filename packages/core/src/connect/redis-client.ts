import { Redis, type RedisOptions } from 'ioredis';

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
