import {
  type Env,
  halfSet,
  invalid,
  parsePort,
  parseUrlVariable,
  read,
  redactUrl,
} from './env-url.ts';

/** Where the Redis settings came from, in precedence order. */
export type RedisSource =
  | 'REDIS_CLUSTER_NODES'
  | 'REDIS_URL'
  | 'REDIS_PUBLIC_URL'
  | 'REDISHOST'
  | 'REDIS_HOST'
  | 'embedded';

/** A node of a Redis Cluster. */
export interface RedisNode {
  readonly host: string;
  readonly port: number;
}

/**
 * Resolved Redis settings: a server or a Redis Cluster, or process memory when nothing is
 * configured. For a cluster, `url` is the first seed node with the credentials (every node
 * shares them) and `cluster` lists every seed node.
 */
export type RedisConfig =
  | {
      readonly mode: 'redis';
      readonly source: Exclude<RedisSource, 'embedded'>;
      readonly url: string;
      readonly redactedUrl: string;
      /** Seed nodes when Redis is a cluster; undefined for a single server. */
      readonly cluster?: readonly RedisNode[] | undefined;
    }
  | { readonly mode: 'memory'; readonly source: 'embedded' };

/** Every variable the Redis discovery reads, in the order it tries them. */
export const REDIS_VARIABLES = [
  'REDIS_CLUSTER_NODES',
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
 * Find Redis: `REDIS_CLUSTER_NODES` (a Redis Cluster), then `REDIS_URL`, then
 * `REDIS_PUBLIC_URL`, then Railway's `REDISHOST`/`REDISPORT`/`REDISUSER`/`REDISPASSWORD`, then
 * `REDIS_HOST`/`REDIS_PORT`/`REDIS_PASSWORD`; else memory.
 *
 * A cluster is named either by `REDIS_CLUSTER_NODES=host:port,host:port,...` (entries may be
 * full `redis://user:password@host:port` URLs; credentials come from the first entry that has
 * them, else from `REDIS_PASSWORD`), or by `?cluster=true` on a URL variable, which makes that
 * node the seed (`REDIS_URL=redis://node-1:6379?cluster=true`).
 */
export function loadRedisConfig(env: Env): RedisConfig {
  const nodes = read(env, 'REDIS_CLUSTER_NODES');
  if (nodes !== undefined) return fromClusterNodes(nodes, read(env, 'REDIS_PASSWORD'));
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
  const flag = url.searchParams.get('cluster');
  if (flag === null) return { mode: 'redis', source, url: url.href, redactedUrl: redactUrl(url) };
  if (flag !== 'true' && flag !== 'false')
    throw invalid(
      source,
      `has "cluster=${flag}"; use cluster=true for a Redis Cluster, or drop it`,
    );
  url.searchParams.delete('cluster');
  const base = { mode: 'redis', source, url: url.href, redactedUrl: redactUrl(url) } as const;
  return flag === 'true' ? { ...base, cluster: [nodeOf(url)] } : base;
}

function fromClusterNodes(value: string, password: string | undefined): RedisConfig {
  const name = 'REDIS_CLUSTER_NODES';
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  if (entries.length === 0) throw invalid(name, 'lists no node (expected host:port,host:port,...)');
  const urls = entries.map((entry) =>
    parseUrlVariable(name, entry.includes('://') ? entry : `redis://${entry}`, PROTOCOLS),
  );
  for (const url of urls) {
    if (url.port === '')
      throw invalid(name, `has a node without a port (${url.hostname}); write host:port`);
  }
  const first = new URL(urls[0]!.href);
  const withCredentials = urls.find((url) => url.password !== '' || url.username !== '');
  if (withCredentials !== undefined) {
    first.username = withCredentials.username;
    first.password = withCredentials.password;
  } else if (password !== undefined) {
    first.password = encodeURIComponent(password);
  }
  return {
    mode: 'redis',
    source: name,
    url: first.href,
    redactedUrl: `${redactUrl(first)} (cluster of ${urls.length} seed node${urls.length === 1 ? '' : 's'})`,
    cluster: urls.map(nodeOf),
  };
}

function nodeOf(url: URL): RedisNode {
  return { host: url.hostname, port: url.port === '' ? 6379 : Number(url.port) };
}
