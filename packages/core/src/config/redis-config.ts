import { type Env, halfSet, parsePort, parseUrlVariable, read, redactUrl } from './env-url.ts';

/** Where the Redis settings came from, in precedence order. */
export type RedisSource =
  | 'REDIS_URL'
  | 'REDIS_PUBLIC_URL'
  | 'REDISHOST'
  | 'REDIS_HOST'
  | 'embedded';

/** Resolved Redis settings: a server, or process memory when nothing is configured. */
export type RedisConfig =
  | {
      readonly mode: 'redis';
      readonly source: Exclude<RedisSource, 'embedded'>;
      readonly url: string;
      readonly redactedUrl: string;
    }
  | { readonly mode: 'memory'; readonly source: 'embedded' };

/** Every variable the Redis discovery reads, in the order it tries them. */
export const REDIS_VARIABLES = [
  'REDIS_URL',
  'REDIS_PUBLIC_URL',
  'REDISHOST',
  'REDISPORT',
  'REDISUSER',
  'REDISPASSWORD',
  'REDIS_HOST',
  'REDIS_PORT',
  'REDIS_PASSWORD',
] as const;

const PROTOCOLS = ['redis:', 'rediss:'];

/**
 * Find Redis: `REDIS_URL`, then `REDIS_PUBLIC_URL`, then Railway's `REDISHOST`/`REDISPORT`/
 * `REDISUSER`/`REDISPASSWORD`, then `REDIS_HOST`/`REDIS_PORT`/`REDIS_PASSWORD`; else memory.
 */
export function loadRedisConfig(env: Env): RedisConfig {
  for (const name of ['REDIS_URL', 'REDIS_PUBLIC_URL'] as const) {
    const value = read(env, name);
    if (value !== undefined) return fromUrl(name, parseUrlVariable(name, value, PROTOCOLS));
  }
  const railway = fromGroup(env, 'REDISHOST', 'REDISPORT', 'REDISPASSWORD', 'REDISUSER');
  if (railway !== undefined) return railway;
  return (
    fromGroup(env, 'REDIS_HOST', 'REDIS_PORT', 'REDIS_PASSWORD') ?? {
      mode: 'memory',
      source: 'embedded',
    }
  );
}

function fromGroup(
  env: Env,
  hostVar: 'REDISHOST' | 'REDIS_HOST',
  portVar: string,
  passwordVar: string,
  userVar?: string,
): RedisConfig | undefined {
  const host = read(env, hostVar);
  const others = [portVar, passwordVar, userVar].filter(
    (n): n is string => n !== undefined && read(env, n) !== undefined,
  );
  if (host === undefined) {
    if (others.length > 0) throw halfSet(others, hostVar);
    return undefined;
  }
  const url = new URL('redis://placeholder');
  url.hostname = host;
  url.port = String(parsePort(portVar, read(env, portVar), 6379));
  const user = userVar === undefined ? undefined : read(env, userVar);
  const password = read(env, passwordVar);
  if (user !== undefined) url.username = encodeURIComponent(user);
  if (password !== undefined) url.password = encodeURIComponent(password);
  return fromUrl(hostVar, parseUrlVariable(hostVar, url.href, PROTOCOLS));
}

function fromUrl(source: Exclude<RedisSource, 'embedded'>, url: URL): RedisConfig {
  return { mode: 'redis', source, url: url.href, redactedUrl: redactUrl(url) };
}
