import { REDIS_CLIENT_DEFAULTS, type RedisNode } from '@hybridstate/core';
import { Redis } from 'ioredis';
import type { Explanation } from './explain-failure.ts';
import { probeRedis, type RedisProbe } from './probe-redis.ts';

/** One node of a Redis Cluster as `CLUSTER NODES` lists it, and whether it answered. */
export interface ClusterNodeProbe {
  readonly address: string;
  readonly role: 'master' | 'replica';
  /** PING round trip, ms; null when the node did not answer. */
  readonly latencyMs: number | null;
  /** Why it did not answer, in one line (with the fix); null when it answered. */
  readonly failure: string | null;
}

/** What connecting to a Redis Cluster showed. */
export type RedisClusterProbe =
  | (Extract<RedisProbe, { ok: true }> & {
      /** `cluster_state` of the node that answered first: `ok` or `fail`. */
      readonly state: string;
      /** Live masters and replicas; `failed`: nodes the cluster itself marks as failed. */
      readonly masters: number;
      readonly replicas: number;
      readonly failed: number;
      readonly nodes: readonly ClusterNodeProbe[];
      /** The first node that did not answer, explained; undefined when every node did. */
      readonly unreachable: Explanation | undefined;
    })
  | Extract<RedisProbe, { ok: false }>;

/**
 * Probe a Redis Cluster: the seed nodes in turn until one answers (all refused: the first
 * failure, explained), then `CLUSTER INFO` and `CLUSTER NODES` there, then a PING to every
 * node the cluster lists, so a dead or firewalled node is named even when the seeds are fine.
 *
 * @example
 * ```ts
 * const probe = await probeRedisCluster(config.redis.url, config.redis.cluster, 'REDIS_CLUSTER_NODES');
 * ```
 */
export async function probeRedisCluster(
  url: string,
  seeds: readonly RedisNode[],
  source: string,
): Promise<RedisClusterProbe> {
  let first: RedisProbe | undefined;
  for (const seed of seeds) {
    const probe = await probeRedis(nodeUrl(url, seed.host, seed.port), source);
    first ??= probe;
    if (probe.ok) return describeCluster(url, probe, source);
  }
  if (first === undefined || first.ok) throw new Error('probeRedisCluster needs a seed node');
  return first;
}

async function describeCluster(
  url: string,
  seed: Extract<RedisProbe, { ok: true }>,
  source: string,
): Promise<RedisClusterProbe> {
  const client = new Redis(nodeUrl(url, seed.host, seed.port), {
    ...REDIS_CLIENT_DEFAULTS,
    commandTimeout: 3000,
    retryStrategy: () => null,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const info = String(await client.call('CLUSTER', 'INFO'));
    const listed = parseClusterNodes(String(await client.call('CLUSTER', 'NODES')));
    const nodes = await Promise.all(
      listed.map(async ({ host, port, role }) => {
        const probe = await probeRedis(nodeUrl(url, host, port), source);
        return { role, probe };
      }),
    );
    const unreachable = nodes.find((n) => !n.probe.ok)?.probe;
    return {
      ...seed,
      state: /cluster_state:(\w+)/.exec(info)?.[1] ?? 'unknown',
      masters: listed.filter((n) => n.role === 'master' && !n.failed).length,
      replicas: listed.filter((n) => n.role === 'replica' && !n.failed).length,
      failed: listed.filter((n) => n.failed).length,
      nodes: nodes.map(({ role, probe }) => ({
        address: `${probe.host}:${probe.port}`,
        role,
        latencyMs: probe.ok ? probe.latencyMs : null,
        failure: probe.ok ? null : `${probe.explanation.summary}. Fix: ${probe.explanation.fix}`,
      })),
      unreachable: unreachable?.ok === false ? unreachable.explanation : undefined,
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const where = `${seed.host}:${seed.port}`;
    return {
      ok: false,
      host: seed.host,
      port: seed.port,
      explanation: /cluster support disabled/i.test(message)
        ? {
            kind: 'not-a-cluster',
            summary: `${source} names ${where}, a Redis without cluster mode`,
            fix: 'set REDIS_URL for a single server; REDIS_CLUSTER_NODES (or ?cluster=true) is for a Redis Cluster',
          }
        : {
            kind: 'other',
            summary: `Redis Cluster at ${where} (from ${source}) failed: ${message}`,
            fix: `check ${source}`,
          },
    };
  } finally {
    client.disconnect();
  }
}

/** `CLUSTER NODES` lines: `<id> <ip:port@cport[,hostname]> <flags> ...`; `noaddr` nodes are left out. */
function parseClusterNodes(
  text: string,
): { host: string; port: number; role: 'master' | 'replica'; failed: boolean }[] {
  return text
    .split('\n')
    .map((line) => line.trim().split(' '))
    .filter((fields) => fields.length > 2 && !fields[2]!.includes('noaddr'))
    .map((fields) => {
      const address = fields[1]!.split('@')[0]!;
      const colon = address.lastIndexOf(':');
      const flags = fields[2]!.split(',');
      const role = flags.includes('master') ? 'master' : 'replica';
      const failed = flags.includes('fail');
      return {
        host: address.slice(0, colon),
        port: Number(address.slice(colon + 1)),
        role,
        failed,
      };
    });
}

/** `url` (credentials, TLS) pointed at another node. */
function nodeUrl(url: string, host: string, port: number): string {
  const node = new URL(url);
  node.hostname = host;
  node.port = String(port);
  return node.href;
}
