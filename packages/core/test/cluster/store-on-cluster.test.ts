/**
 * The tiers and the store on a real Redis Cluster (3 masters, 1 replica each): the tier
 * contract unchanged, every durability, locks, listing across masters, L1 invalidation over
 * the bus, and the write-behind drained by two flushers.
 */
import type { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestPostgres, testKeyspace, testPostgres } from '../../../../test-support/index.ts';
import {
  PATIENT_COMMAND_TIMEOUT_MS,
  type RedisCluster,
  startRedisCluster,
} from '../../../../test-support/redis-cluster.ts';
import {
  createRedisClusterClient,
  createTieredStore,
  type Keyspace,
  RedisMessageBus,
  RedisTier,
  shardTag,
  type TieredStore,
  type TieredStoreOptions,
} from '../../src/index.ts';
import { registerTierContract } from '../../src/testing/index.ts';

/** This file tests cluster correctness, not latency (see PATIENT_COMMAND_TIMEOUT_MS). */
const PATIENT = { commandTimeout: PATIENT_COMMAND_TIMEOUT_MS };

let cluster: RedisCluster;
let client: Cluster;
let pg: TestPostgres;
const closers: (() => Promise<void> | void)[] = [];

beforeAll(async () => {
  cluster = await startRedisCluster();
  client = await createRedisClusterClient(cluster.seeds, PATIENT);
  pg = await testPostgres();
});
afterAll(async () => {
  for (const close of closers.splice(0).reverse()) await close();
  client?.disconnect();
  await pg?.cleanup();
  await cluster?.stop();
});

registerTierContract('redis cluster', async () => ({
  tier: new RedisTier(client),
  keyspace: testKeyspace(),
}));

/** A store on its own cluster connection, closed after the file. */
async function openStore(
  keyspace: Keyspace,
  options: Partial<TieredStoreOptions> = {},
): Promise<TieredStore> {
  const own = await createRedisClusterClient(cluster.seeds, PATIENT);
  const store = await createTieredStore({
    keyspace,
    cache: new RedisTier(own),
    postgres: pg.tier,
    sweepIntervalMs: 0,
    ...options,
  });
  closers.push(async () => {
    await store.close();
    own.disconnect();
  });
  return store;
}

/** Port of the master that serves `key` now. */
async function masterOf(key: string): Promise<string> {
  const slot = (await client.cluster('KEYSLOT', key)) as number;
  const ranges = await client.cluster('SLOTS');
  const range = ranges.find(([start, end]) => slot >= start && slot <= end);
  return String(range?.[2]?.[1]);
}

describe('TieredStore on a Redis Cluster', () => {
  it('spreads the 16 shards of a keyspace over every master', async () => {
    const keyspace = testKeyspace();
    const owners = new Set<string>();
    for (let shard = 0; shard < keyspace.shards; shard++)
      owners.add(await masterOf(shardTag(keyspace.prefix, shard)));
    expect(owners.size).toBe(3);
  });

  it.each(['durable', 'buffered', 'ephemeral'] as const)(
    '%s: set, get, update, delete, and the value is where the mode puts it',
    async (durability) => {
      const keyspace = testKeyspace();
      const items = keyspace.family({
        name: 'items',
        key: 'items:{id}',
        durability,
        ttlMs: 600_000,
      });
      const store = await openStore(keyspace);
      const refs = Array.from({ length: 60 }, (_, i) => items.key({ id: `i${i}` }));
      await store.setMany(refs.map((ref, i) => ({ ref, value: { n: i } })));
      expect(await store.getMany(refs)).toEqual(refs.map((_, i) => ({ n: i })));
      await Promise.all(
        refs.map((ref) => store.update(ref, (v) => ({ n: (v as { n: number }).n + 1 }))),
      );
      expect(await store.getMany(refs)).toEqual(refs.map((_, i) => ({ n: i + 1 })));
      await store.delete(refs[0]!);
      expect(await store.get(refs[0]!)).toBeUndefined();
      expect(await store.count(items)).toBe(59);
      const listed = new Set<string>();
      for await (const page of store.keys(items)) for (const ref of page) listed.add(ref.key);
      expect(listed.size).toBe(59);
      const inPostgres = await pg.tier.read(refs.slice(1));
      if (durability === 'ephemeral') expect(inPostgres.every((e) => e === null)).toBe(true);
      else
        expect(inPostgres.map((e) => JSON.parse(e!.value))).toEqual(
          refs.slice(1).map((_, i) => ({ n: i + 2 })),
        );
    },
  );

  it('lists an ephemeral family from every master (SCAN per master)', async () => {
    const keyspace = testKeyspace();
    const items = keyspace.family({
      name: 'items',
      key: 'items:{id}',
      durability: 'ephemeral',
      ttlMs: 600_000,
    });
    const store = await openStore(keyspace);
    const refs = Array.from({ length: 300 }, (_, i) => items.key({ id: `e${i}` }));
    await store.setMany(refs.map((ref) => ({ ref, value: 1 })));
    const masters = new Set(await Promise.all(refs.map((ref) => masterOf(ref.redisKey))));
    expect(masters.size).toBe(3);
    const listed: string[] = [];
    for await (const page of store.keys(items)) for (const ref of page) listed.push(ref.key);
    expect(listed.sort()).toEqual(refs.map((ref) => ref.key).sort());
    await store.clear(items);
    expect(await store.count(items)).toBe(0);
  });

  it('locks serialize read-modify-writes of one key across two stores', async () => {
    const keyspace = testKeyspace();
    const counter = keyspace.family({
      name: 'counter',
      key: 'counter:{id}',
      durability: 'durable',
    });
    const stores = [await openStore(keyspace), await openStore(keyspace)];
    const refs = [counter.key({ id: 'a' }), counter.key({ id: 'b' }), counter.key({ id: 'c' })];
    await Promise.all(
      Array.from({ length: 60 }, async (_, i) => {
        const store = stores[i % 2]!;
        const ref = refs[i % 3]!;
        const held = await store.lock([ref], { waitMs: 20_000 });
        try {
          await held.commit([{ ref, value: ((held.get(ref) as number | undefined) ?? 0) + 1 }]);
        } catch (error) {
          await held.release();
          throw error;
        }
      }),
    );
    expect(await stores[0]!.getMany(refs)).toEqual([20, 20, 20]);
  });

  it("a write on store A drops store B's L1 copy over the bus (pub/sub on a cluster node)", async () => {
    const keyspace = testKeyspace();
    const buttons = keyspace.family({
      name: 'buttons',
      key: 'buttons:{id}',
      durability: 'durable',
      l1: { ttlMs: 600_000 },
    });
    const channelPrefix = `${keyspace.prefix}:`;
    const [a, b] = await Promise.all(
      [0, 1].map(async () => {
        const bus = new RedisMessageBus(client, { channelPrefix });
        closers.push(() => bus.close());
        await bus.settled();
        return openStore(keyspace, { bus });
      }),
    );
    const ref = buttons.key({ id: 'main' });
    await a!.set(ref, 'v1');
    expect(await b!.get(ref)).toBe('v1'); // now in B's L1
    await a!.set(ref, 'v2');
    await eventually(async () => (await b!.get(ref)) === 'v2');
    await a!.delete(ref);
    await eventually(async () => (await b!.get(ref)) === undefined);
  });

  it('write-behind: two flushers drain every shard on every master, each entry once', async () => {
    const keyspace = testKeyspace();
    const memory = keyspace.family({
      name: 'user_memory',
      key: 'user_memory:{userId}',
      durability: 'buffered',
    });
    // Timers off: only the explicit flushes below copy anything.
    const writeBehind = { flushIntervalMs: 3_600_000, pollMs: 3_600_000, batchSize: 20 };
    const a = await openStore(keyspace, { writeBehind });
    const b = await openStore(keyspace, { writeBehind });
    const refs = Array.from({ length: 2000 }, (_, i) => memory.key({ userId: `u${i}` }));
    const write = async (store: TieredStore, from: number, to: number) => {
      for (let i = from; i < to; i += 100)
        await store.setMany(refs.slice(i, i + 100).map((ref, j) => ({ ref, value: i + j })));
    };
    await Promise.all([write(a, 0, 1000), write(b, 1000, 2000)]);
    // A write whose Redis call timed out went straight to PostgreSQL instead (still durable):
    // count what the journal really holds.
    // Both flushers' bulk connections are opened (by a status read) before the race.
    const [journaled = 0] = await Promise.all(
      [a, b].map(async (store) => (await store.writeBehindStatus())?.pending),
    );
    expect(journaled).toBeGreaterThan(0);
    const [byA, byB] = await Promise.all([a.flush(), b.flush()]);
    // Each entry went to exactly one flusher (how they split it depends on who came first).
    expect(byA + byB).toBe(journaled);
    console.info(`write-behind on a cluster: ${journaled} journaled, flushed ${byA} + ${byB}`);
    expect((await b.writeBehindStatus())?.pending).toBe(0);
    const rows = await pg.tier.read(refs);
    expect(rows.map((row) => (row === null ? null : JSON.parse(row.value)))).toEqual(
      refs.map((_, i) => i),
    );
  });
});

async function eventually(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
