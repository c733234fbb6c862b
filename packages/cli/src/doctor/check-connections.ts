import type { HybridStateConfig } from '@hybridstate/core';
import { SCHEMA_VERSION } from '@hybridstate/core';
import { probePostgres } from '../connect/probe-postgres.ts';
import { probeRedis } from '../connect/probe-redis.ts';
import { probeRedisCluster, type RedisClusterProbe } from '../connect/probe-redis-cluster.ts';
import { type CheckResult, check, skipped } from './doctor-report.ts';

/**
 * Seed 004's "is Redis connected" line, for both servers: connect with latency, or the
 * failure (auth, DNS, refused, timeout, TLS) explained in one line with its fix.
 */
export async function checkConnections(
  config: HybridStateConfig,
  schema: string,
): Promise<{ redis: CheckResult; postgres: CheckResult }> {
  const [redis, postgres] = await Promise.all([checkRedis(config), checkPostgres(config, schema)]);
  return { redis, postgres };
}

async function checkRedis(config: HybridStateConfig): Promise<CheckResult> {
  if (config.redis.mode !== 'redis')
    return skipped('redis', 'no Redis configured (process memory)');
  const { url, source, cluster } = config.redis;
  if (cluster !== undefined)
    return clusterCheck(await probeRedisCluster(url, cluster, source), source);
  const probe = await probeRedis(config.redis.url, config.redis.source);
  const target = { source: config.redis.source, host: probe.host, port: probe.port };
  if (!probe.ok)
    return check(
      'redis',
      'fail',
      probe.explanation.summary,
      { ...target, failure: probe.explanation.kind },
      probe.explanation.fix,
    );
  return check(
    'redis',
    'ok',
    `connected to ${probe.host}:${probe.port} via ${config.redis.source} in ${probe.connectMs} ms (PING ${probe.latencyMs} ms, Redis ${probe.serverVersion ?? '?'})`,
    {
      ...target,
      connectMs: probe.connectMs,
      latencyMs: probe.latencyMs,
      serverVersion: probe.serverVersion ?? null,
    },
  );
}

/**
 * A Redis Cluster: the usual figures of the node that answered first, plus `cluster`
 * (state, masters, replicas, every node's PING); a node that does not answer is a warning,
 * explained in one line, while the cluster still serves every slot.
 */
function clusterCheck(probe: RedisClusterProbe, source: string): CheckResult {
  const target = { source, host: probe.host, port: probe.port };
  if (!probe.ok)
    return check(
      'redis',
      'fail',
      probe.explanation.summary,
      { ...target, failure: probe.explanation.kind },
      probe.explanation.fix,
    );
  const details = {
    ...target,
    connectMs: probe.connectMs,
    latencyMs: probe.latencyMs,
    serverVersion: probe.serverVersion ?? null,
    cluster: {
      state: probe.state,
      masters: probe.masters,
      replicas: probe.replicas,
      failed: probe.failed,
      nodes: probe.nodes,
    },
  };
  const pings = probe.nodes.flatMap((n) => (n.latencyMs === null ? [] : [n.latencyMs]));
  const summary = `Redis Cluster via ${source}: ${probe.masters} masters, ${probe.replicas} replicas${probe.failed > 0 ? `, ${probe.failed} failed` : ''}, cluster_state:${probe.state}; PING ${Math.min(...pings)}-${Math.max(...pings)} ms over ${pings.length} nodes (Redis ${probe.serverVersion ?? '?'})`;
  if (probe.state !== 'ok')
    return check(
      'redis',
      'fail',
      `${summary}: some slots have no live master`,
      details,
      'wait for the failover, or bring the failed masters back (redis-cli --cluster check <node>)',
    );
  if (probe.unreachable !== undefined)
    return check(
      'redis',
      'warn',
      `${summary}; ${probe.unreachable.summary}`,
      details,
      probe.unreachable.fix,
    );
  return check('redis', 'ok', summary, details);
}

async function checkPostgres(config: HybridStateConfig, schema: string): Promise<CheckResult> {
  if (config.postgres.mode !== 'postgres')
    return skipped(
      'postgres',
      `embedded PGlite in ${config.postgres.dataDir} is opened by one process at a time`,
    );
  const probe = await probePostgres(config.postgres.url, config.postgres.source, schema);
  const target = { source: config.postgres.source, host: probe.host, port: probe.port, schema };
  if (!probe.ok)
    return check(
      'postgres',
      'fail',
      probe.explanation.summary,
      { ...target, failure: probe.explanation.kind },
      probe.explanation.fix,
    );
  const details = {
    ...target,
    connectMs: probe.connectMs,
    latencyMs: probe.latencyMs,
    serverVersion: probe.serverVersion,
    schemaVersion: probe.schemaVersion,
    expectedSchemaVersion: SCHEMA_VERSION,
  };
  const summary = `connected to ${probe.host}:${probe.port} via ${config.postgres.source} in ${probe.connectMs} ms (SELECT 1 ${probe.latencyMs} ms, PostgreSQL ${probe.serverVersion})`;
  if (probe.schemaVersion < SCHEMA_VERSION)
    return check(
      'postgres',
      'warn',
      `${summary}; schema "${schema}" is at version ${probe.schemaVersion}, this build needs ${SCHEMA_VERSION}`,
      details,
      'run `hybridstate migrate` (the server also migrates when it starts)',
    );
  return check(
    'postgres',
    'ok',
    `${summary}; schema "${schema}" at version ${probe.schemaVersion}`,
    details,
  );
}
