/**
 * Bot sessions on a real Redis Cluster (3 masters, 1 replica each): three bot processes
 * updating one user's session, with and without a master killed in the middle, and the legacy
 * import reading keys from every master.
 */
import { fileURLToPath } from 'node:url';
import {
  createRedisClusterClient,
  createTieredStore,
  Keyspace,
  RedisTier,
  type TieredStore,
} from '@hybridstate/core';
import type { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  runWorker,
  TEST_DATABASE_URL,
  type TestPostgres,
  testKeyspace,
  testPostgres,
  uniqueId,
} from '../../../../test-support/index.ts';
import {
  PATIENT_COMMAND_TIMEOUT_MS,
  type RedisCluster,
  startRedisCluster,
} from '../../../../test-support/redis-cluster.ts';
import { importLegacySessions, type LegacyLayout, Sessions } from '../../src/index.ts';

const WORKER = fileURLToPath(new URL('../workers/session-worker.ts', import.meta.url));
const PROCESSES = 3;
const UPDATES = 200;

interface WorkerResult {
  handled: number;
  deliveries: number;
  failures: string[];
}

/** This file tests cluster correctness, not latency (see PATIENT_COMMAND_TIMEOUT_MS). */
const PATIENT = { commandTimeout: PATIENT_COMMAND_TIMEOUT_MS };

let cluster: RedisCluster;
let client: Cluster;
let pg: TestPostgres;

beforeAll(async () => {
  cluster = await startRedisCluster();
  client = await createRedisClusterClient(cluster.seeds, PATIENT);
  pg = await testPostgres();
});
afterAll(async () => {
  client?.disconnect();
  await pg?.cleanup();
  await cluster?.stop();
});

async function visits(prefix: string, userId: number): Promise<unknown> {
  const rows = await pg.pool.query(
    `SELECT value FROM ${pg.schema}.hs_kv WHERE namespace = $1 AND key = $2`,
    [`${prefix}:session_userSession`, `session:userSession:${userId}`],
  );
  return rows.rows[0]?.value;
}

/** Workers with the project's client defaults, or `patient` ones (see PATIENT_COMMAND_TIMEOUT_MS). */
function workers(
  prefix: string,
  userId: number,
  delayMs: number,
  patient: boolean,
): Promise<WorkerResult[]> {
  const env = {
    HS_PREFIX: prefix,
    HS_SCHEMA: pg.schema,
    HS_USER: String(userId),
    HS_COUNT: String(UPDATES),
    HS_DELAY_MS: String(delayMs),
    TEST_DATABASE_URL,
    TEST_REDIS_URL: '',
    REDIS_CLUSTER_NODES: cluster.nodesVariable,
    ...(patient ? { HS_REDIS_COMMAND_TIMEOUT_MS: String(PATIENT_COMMAND_TIMEOUT_MS) } : {}),
  };
  return Promise.all(Array.from({ length: PROCESSES }, () => runWorker<WorkerResult>(WORKER, env)));
}

describe(`${PROCESSES} bot processes x ${UPDATES} concurrent updates of one user on a cluster`, () => {
  it('counts exactly 600', async () => {
    const prefix = uniqueId('t');
    const results = await workers(prefix, 777, 2, true);
    expect(results.map((r) => r.failures)).toEqual([[], [], []]);
    expect(await visits(prefix, 777)).toEqual({ visits: PROCESSES * UPDATES });
  }, 120_000);

  it("still counts exactly 600 with the session's master killed in the middle", async () => {
    const prefix = uniqueId('t');
    const running = workers(prefix, 778, 10, false);
    let finished = false;
    void running.finally(() => (finished = true)).catch(() => undefined);
    // The session key's shard: the master that holds it, its lock and its journal dies.
    const keyspace = new Keyspace({ prefix });
    const family = keyspace.family({
      name: 'probe',
      key: 'session:userSession:{userId}',
      durability: 'durable',
    });
    const slot = (await client.cluster(
      'KEYSLOT',
      family.key({ userId: '778' }).redisKey,
    )) as number;
    const count = async () => ((await visits(prefix, 778)) as { visits?: number })?.visits ?? 0;
    while ((await count()) < 100) await new Promise((resolve) => setTimeout(resolve, 20));
    const progress = await count();
    const { recoveredMs } = await cluster.killMaster(slot);
    const killedWhileRunning = !finished;
    const results = await running;
    const deliveries = results.reduce((n, r) => n + r.deliveries, 0);
    console.info(
      `killed the master of slot ${slot} at ${progress} of ${PROCESSES * UPDATES}; failover took ${Math.round(recoveredMs)} ms; ${deliveries} deliveries; failures seen: ${JSON.stringify([...new Set(results.flatMap((r) => r.failures))])}`,
    );
    expect(killedWhileRunning).toBe(true);
    expect(await visits(prefix, 778)).toEqual({ visits: PROCESSES * UPDATES });
  }, 180_000);
});

describe('importing the seed 000 layout from a cluster', () => {
  const definitions = {
    globalSession: { scope: 'global' as const, name: 'global' },
    lots: { scope: 'global' as const },
    userSession: { scope: 'user' as const },
    chatSession: { scope: 'chat' as const },
  };
  const layout: LegacyLayout = {
    global: 'globalSession',
    lots: 'lots',
    user: 'userSession',
    chat: 'chatSession',
  };

  it('reads the legacy keys on every master and imports each once', async () => {
    const users = Array.from({ length: 40 }, (_, i) => 1000 + i);
    await client.set('global', JSON.stringify({ studios: ['A'] }));
    await client.set('lots', JSON.stringify({ list: {} }));
    await client.set('-100500-chat', JSON.stringify({ pinned: 7 }));
    await Promise.all(users.map((id) => client.set(`${id}-user`, JSON.stringify({ id }))));
    const holders = await Promise.all(
      client.nodes('master').map(async (node) => (await node.dbsize()) > 0),
    );
    expect(holders).toEqual([true, true, true]);

    const keyspace = testKeyspace();
    const own = await createRedisClusterClient(cluster.seeds, PATIENT);
    const store: TieredStore = await createTieredStore({
      keyspace,
      cache: new RedisTier(own),
      postgres: pg.tier,
      sweepIntervalMs: 0,
    });
    try {
      const sessions = new Sessions(store, keyspace, definitions);
      const report = await importLegacySessions(client, store, sessions.properties, layout, {
        dryRun: false,
        pageSize: 7,
      });
      expect(report.imported.map((i) => i.from).sort()).toEqual(
        ['-100500-chat', 'global', 'lots', ...users.map((id) => `${id}-user`)].sort(),
      );
      const user = sessions.properties.find((p) => p.property === 'userSession')!.family;
      expect(await store.get(user.key({ userId: 1039 } as never))).toEqual({ id: 1039 });
      const again = await importLegacySessions(client, store, sessions.properties, layout, {
        dryRun: false,
      });
      expect(again.imported).toEqual([]);
    } finally {
      await store.close();
      own.disconnect();
    }
  });
});
