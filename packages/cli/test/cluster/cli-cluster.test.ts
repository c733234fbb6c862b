import {
  createRedisClusterClient,
  createTieredStore,
  Keyspace,
  RedisTier,
} from '@hybridstate/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  freePort,
  TEST_DATABASE_URL,
  type TestPostgres,
  testPostgres,
  uniqueId,
} from '../../../../test-support/index.ts';
import { type RedisCluster, startRedisCluster } from '../../../../test-support/redis-cluster.ts';
import type { CheckResult, DoctorReport } from '../../src/index.ts';
import { jsonOf, runHybridstate } from '../run-hybridstate.ts';

interface KeysJson {
  redis: { nodes: number; groups: { shape: string; keys: number; ttl: { none: number } }[] };
  pending: Record<string, number>;
}

describe('hybridstate doctor, keys, flush and import on a Redis Cluster (REDIS_CLUSTER_NODES)', () => {
  let cluster: RedisCluster;
  let pg: TestPostgres;
  let env: Record<string, string>;
  const keyspace = new Keyspace({ prefix: uniqueId('cc') });
  const memory = keyspace.family({
    name: 'user_memory',
    key: 'user_memory:{userId}',
    durability: 'buffered',
    ttlMs: 3_600_000,
  });
  const users = Array.from({ length: 30 }, (_, i) => i + 1);

  beforeAll(async () => {
    [cluster, pg] = await Promise.all([startRedisCluster(), testPostgres()]);
    env = { REDIS_CLUSTER_NODES: cluster.nodesVariable, DATABASE_URL: TEST_DATABASE_URL };
  });
  afterAll(async () => {
    await cluster?.stop();
    await pg?.cleanup();
  });

  const cli = (args: string[], vars = env) =>
    runHybridstate([...args, '--prefix', keyspace.prefix, '--schema', pg.schema], vars);
  const redisCheck = (report: DoctorReport) =>
    report.checks.find((c) => c.id === 'redis') as CheckResult;

  it('doctor passes every check and reports the cluster: masters, replicas, state, every node', async () => {
    await cli(['migrate']);
    const run = await cli(['doctor', '--json']);
    const report = jsonOf<DoctorReport>(run);
    expect(report.checks.map((c) => [c.id, c.status])).toEqual(
      report.checks.map((c) => [c.id, 'ok']),
    );
    expect(redisCheck(report).summary).toMatch(
      /^Redis Cluster via REDIS_CLUSTER_NODES: 3 masters, 3 replicas, cluster_state:ok; PING/,
    );
    const details = redisCheck(report).details as {
      source: string;
      latencyMs: number;
      cluster: { state: string; nodes: { role: string; latencyMs: number | null }[] };
    };
    expect(details).toMatchObject({ source: 'REDIS_CLUSTER_NODES', latencyMs: expect.any(Number) });
    expect(details.cluster.state).toBe('ok');
    expect(details.cluster.nodes.map((n) => n.role).sort()).toEqual([
      ...['master', 'master', 'master'],
      ...['replica', 'replica', 'replica'],
    ]);
    expect(details.cluster.nodes.every((n) => typeof n.latencyMs === 'number')).toBe(true);
    expect(run.code).toBe(0);
  });

  it('keys scans every master; flush drains every journal shard', async () => {
    const redis = await createRedisClusterClient(cluster.seeds);
    const store = await createTieredStore({
      keyspace,
      cache: new RedisTier(redis),
      postgres: pg.tier,
      sweepIntervalMs: 0,
      writeBehind: { enabled: false },
    });
    await store.setMany(
      users.map((userId) => ({ ref: memory.key({ userId }), value: { history: [userId] } })),
    );
    await store.close();
    redis.disconnect();

    // The family only: doctor's round trip left its probes' tombstones (short TTL) behind.
    const before = jsonOf<KeysJson>(await cli(['keys', 'user_memory', '--json']));
    expect(before.redis.nodes).toBe(3);
    expect(before.redis.groups.map((g) => [g.shape, g.keys, g.ttl.none])).toEqual([
      ['user_memory:*', users.length, 0],
    ]);
    expect(before.pending).toEqual({ user_memory: users.length });

    const flushed = await cli(['flush', '--json']);
    expect(jsonOf(flushed)).toMatchObject({
      flushed: users.length,
      pendingBefore: users.length,
      pendingAfter: 0,
      deadLetters: 0,
    });
    const { rows } = await pg.pool.query(
      `SELECT count(*)::int AS n FROM ${pg.schema}.hs_kv WHERE namespace = $1`,
      [memory.namespace],
    );
    expect(rows[0].n).toBe(users.length);
    expect(jsonOf<KeysJson>(await cli(['keys', '--json'])).pending).toEqual({});
    expect((await cli(['keys'])).stdout).toContain('(SCAN on 3 cluster masters)');
  });

  it('import --legacy reads the seed 000 session keys on every master of the configured cluster', async () => {
    const redis = await createRedisClusterClient(cluster.seeds);
    const legacy: Record<string, unknown> = {
      global: { current: { year: '2024', month: '01' } },
      '-100500-chat': { pinned: 7 },
      '123:-100500': { __scenes: { current: 'lot' } },
    };
    for (const id of users) legacy[`${id}-user`] = { step: `menu-${id}` };
    for (const [key, value] of Object.entries(legacy)) await redis.set(key, JSON.stringify(value));
    const masters = await Promise.all(redis.nodes('master').map((node) => node.dbsize()));
    redis.disconnect();
    expect(masters.every((keys) => keys > 0)).toBe(true);

    type Report = { dryRun: boolean; imported: { from: string }[]; skipped: unknown[] };
    const dry = jsonOf<Report>(await cli(['import', '--legacy', '--json']));
    expect(dry.dryRun).toBe(true);
    expect(dry.imported.map((i) => i.from).sort()).toEqual(Object.keys(legacy).sort());
    const applied = jsonOf<Report>(await cli(['import', '--legacy', '--apply', '--json']));
    expect(applied.imported).toHaveLength(Object.keys(legacy).length);
    const again = jsonOf<Report>(await cli(['import', '--legacy', '--apply', '--json']));
    expect(again.imported).toEqual([]);
  });

  it('explains refused cluster nodes in one line: every seed down fails, one node down warns', async () => {
    const nowhere = `127.0.0.1:${await freePort()}`;
    const refused = await cli(['keys'], { ...env, REDIS_CLUSTER_NODES: nowhere });
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toContain(
      `Redis refused the connection: nothing listens on ${nowhere} (from REDIS_CLUSTER_NODES)`,
    );

    const { node } = await cluster.killMaster();
    // A dead seed first: the next seed answers.
    const seeds = `127.0.0.1:${node.port},${cluster.nodesVariable}`;
    const report = jsonOf<DoctorReport>(
      await cli(['doctor', '--json'], { ...env, REDIS_CLUSTER_NODES: seeds }),
    );
    expect(redisCheck(report).status).toBe('warn');
    expect(redisCheck(report).summary).toContain(
      '3 masters, 2 replicas, 1 failed, cluster_state:ok',
    );
    expect(redisCheck(report).summary).toContain(
      `Redis refused the connection: nothing listens on 127.0.0.1:${node.port}`,
    );
    expect(report.status).toBe('warn');
  });
});
