import { REDIS_CLIENT_DEFAULTS } from '@hybridstate/core';
import { Redis } from 'ioredis';
import { type Explanation, explainFailure } from './explain-failure.ts';

/** What connecting to Redis showed. */
export type RedisProbe =
  | {
      readonly ok: true;
      readonly host: string;
      readonly port: number;
      /** Connect (TCP, TLS, AUTH) plus one PING, ms. */
      readonly connectMs: number;
      /** One PING round trip on the open connection, ms. */
      readonly latencyMs: number;
      readonly serverVersion: string | undefined;
    }
  | {
      readonly ok: false;
      readonly host: string;
      readonly port: number;
      readonly explanation: Explanation;
    };

/** Options of {@link probeRedis}. */
export interface ProbeRedisOptions {
  /** Give up connecting after this many ms. @default 3000 */
  readonly timeoutMs?: number;
}

/**
 * Connect once to `url` (no retries), PING, read the server version, disconnect. Failures are
 * explained, never thrown.
 *
 * @example
 * ```ts
 * const probe = await probeRedis(config.redis.url, 'REDIS_URL');
 * if (!probe.ok) console.error(probe.explanation.summary);
 * ```
 */
export async function probeRedis(
  url: string,
  source: string,
  options: ProbeRedisOptions = {},
): Promise<RedisProbe> {
  const parsed = new URL(url);
  const host = parsed.hostname;
  const port = Number(parsed.port || 6379);
  const timeoutMs = options.timeoutMs ?? 3000;
  const client = new Redis(url, {
    ...REDIS_CLIENT_DEFAULTS,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
  });
  // ioredis rejects connect() with "Connection is closed"; the real reason is the last 'error'.
  let lastError: unknown;
  client.on('error', (error) => {
    lastError = error;
  });
  const started = performance.now();
  try {
    await client.connect();
    await client.ping();
    const connectMs = performance.now() - started;
    const pinged = performance.now();
    await client.ping();
    const latencyMs = performance.now() - pinged;
    const info = await client.info('server').catch(() => '');
    const serverVersion = /redis_version:(\S+)/.exec(info)?.[1];
    return {
      ok: true,
      host,
      port,
      connectMs: round(connectMs),
      latencyMs: round(latencyMs),
      serverVersion,
    };
  } catch (error) {
    const target = {
      tier: 'redis',
      source,
      host,
      port,
      tls: parsed.protocol === 'rediss:',
    } as const;
    return { ok: false, host, port, explanation: explainFailure(lastError ?? error, target) };
  } finally {
    client.disconnect();
  }
}

/** Milliseconds with two decimals. */
export function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
