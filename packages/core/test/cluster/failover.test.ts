/**
 * Many processes on a Redis Cluster, and a master killed (SIGKILL, the cluster fails over to
 * its replica) while two stores update the same keys: no acknowledged write is lost, and the
 * store recovers without a restart.
 */
import { fileURLToPath } from 'node:url';
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
import {
  createRedisClusterClient,
  createTieredStore,
  isHybridStateError,
  type KeyRef,
  type Keyspace,
  RedisTier,
  type TieredStore,
} from '../../src/index.ts';

const WORKER = fileURLToPath(new URL('../workers/update-worker.ts', import.meta.url));
const PROCESSES = 3;
const UPDATES = 200;

let cluster: RedisCluster;
let pg: TestPostgres;
const closers: (() => Promise<void> | void)[] = [];

beforeAll(async () => {
  cluster = await startRedisCluster();
  pg = await testPostgres();
});
afterAll(async () => {
  for (const close of closers.splice(0).reverse()) await close();
  await pg?.cleanup();
  await cluster?.stop();
});

async function openStore(keyspace: Keyspace): Promise<{ store: TieredStore; client: Cluster }> {
  const client = await createRedisClusterClient(cluster.seeds);
  const store = await createTieredStore({
    keyspace,
    cache: new RedisTier(client),
    postgres: pg.tier,
    sweepIntervalMs: 0,
    // Quick probes, so that recovery after the failover shows within the test.
    probeDelayMs: 100,
    writeBehind: { flushIntervalMs: 3_600_000, pollMs: 3_600_000 },
  });
  closers.push(async () => {
    await store.close();
    client.disconnect();
  });
  return { store, client };
}

describe(`${PROCESSES} OS processes x ${UPDATES} concurrent update() of one key on a cluster`, () => {
  // Seeds as REDIS_CLUSTER_NODES, or one node with ?cluster=true: both ways a worker is told.
  it.each([
    ['durable', 'REDIS_CLUSTER_NODES'],
    ['buffered', 'REDIS_URL ?cluster=true'],
    ['ephemeral', 'REDIS_CLUSTER_NODES'],
  ] as const)(
    '%s (workers given %s): the final value is exactly 600',
    async (durability, how) => {
      const keyspace = testKeyspace();
      const counter = keyspace.family({
        name: 'counter',
        key: 'counter:{id}',
        durability,
        ttlMs: 600_000,
      });
      const id = uniqueId('k');
      const env = {
        HS_DURABILITY: durability,
        HS_PREFIX: keyspace.prefix,
        HS_SCHEMA: pg.schema,
        HS_ID: id,
        HS_COUNT: String(UPDATES),
        TEST_DATABASE_URL,
        HS_REDIS_COMMAND_TIMEOUT_MS: String(PATIENT_COMMAND_TIMEOUT_MS),
        ...(how === 'REDIS_CLUSTER_NODES'
          ? { REDIS_CLUSTER_NODES: cluster.nodesVariable, TEST_REDIS_URL: '' }
          : { TEST_REDIS_URL: `redis://127.0.0.1:${cluster.nodes[0]!.port}?cluster=true` }),
      };
      const results = await Promise.all(
        Array.from({ length: PROCESSES }, () =>
          runWorker<{ acknowledged: number; failures: string[] }>(WORKER, env),
        ),
      );
      expect(results.flatMap((r) => r.failures)).toEqual([]);
      expect(results.reduce((sum, r) => sum + r.acknowledged, 0)).toBe(PROCESSES * UPDATES);
      const ref = counter.key({ id });
      const { store } = await openStore(keyspace);
      expect(await store.get(ref)).toBe(PROCESSES * UPDATES);
      if (durability !== 'ephemeral')
        expect(JSON.parse((await pg.tier.read([ref]))[0]!.value)).toBe(PROCESSES * UPDATES);
    },
    120_000,
  );
});

describe('a master killed while two stores update the same keys', () => {
  it('loses no acknowledged write (durable and buffered), and the store recovers by itself', async () => {
    const keyspace = testKeyspace();
    const durable = keyspace.family({ name: 'd', key: 'durable:{id}', durability: 'durable' });
    const buffered = keyspace.family({ name: 'b', key: 'buffered:{id}', durability: 'buffered' });
    const stores = [await openStore(keyspace), await openStore(keyspace)];
    const ids = Array.from({ length: 8 }, (_, i) => `c${i}`);
    const refs: KeyRef[] = [
      ...ids.map((id) => durable.key({ id })),
      ...ids.map((id) => buffered.key({ id })),
    ];
    const acked = new Map<KeyRef, number>(refs.map((ref) => [ref, 0]));
    const failures = new Map<string, number>();
    let stop = false;
    // One loop per key and store: increments, counting the acknowledged ones.
    const loops = stores.flatMap(({ store }) =>
      refs.map(async (ref) => {
        while (!stop) {
          try {
            await store.update(ref, (n: unknown) => ((n as number | undefined) ?? 0) + 1);
            acked.set(ref, acked.get(ref)! + 1);
          } catch (error) {
            const code = isHybridStateError(error) ? error.code : String(error);
            failures.set(code, (failures.get(code) ?? 0) + 1);
            await new Promise((resolve) => setTimeout(resolve, 20));
          }
        }
      }),
    );
    const total = () => [...acked.values()].reduce((a, b) => a + b, 0);
    const until = async (check: () => boolean) => {
      while (!check()) await new Promise((resolve) => setTimeout(resolve, 20));
    };

    await until(() => total() >= 400);
    const { client } = stores[0]!;
    // The master serving the first buffered key's shard: its journal and values move over.
    const slot = (await client.cluster('KEYSLOT', refs[8]!.redisKey)) as number;
    const beforeKill = total();
    const { recoveredMs } = await cluster.killMaster(slot);
    const afterFailover = total();
    // Every key keeps moving after the failover, through the new master.
    const floor = new Map(acked);
    await until(() => refs.every((ref) => acked.get(ref)! >= floor.get(ref)! + 20));
    stop = true;
    await Promise.all(loops);

    for (const { store } of stores) {
      // The breaker closes again without a restart (the test's timeout bounds the wait).
      while ((await store.health()).tiers.redis.circuit !== 'closed')
        await new Promise((resolve) => setTimeout(resolve, 50));
      await store.flush();
    }
    const rows = await pg.tier.read(refs);
    const inPostgres = rows.map((row) => (row === null ? 0 : (JSON.parse(row.value) as number)));
    console.info(
      `killed the master of slot ${slot} after ${beforeKill} updates; failover took ${Math.round(recoveredMs)} ms (${afterFailover - beforeKill} updates acknowledged meanwhile); ${total()} in all; failures: ${JSON.stringify(Object.fromEntries(failures))}`,
    );
    expect(inPostgres).toEqual(refs.map((ref) => acked.get(ref)));
    expect(await stores[1]!.store.getMany(refs)).toEqual(refs.map((ref) => acked.get(ref)));
  }, 120_000);
});
