import { afterEach, describe, expect, it } from 'vitest';
import {
  startRedisServer,
  testPostgres,
  testRedis,
  uniqueId,
} from '../../../test-support/index.ts';
import {
  createRedisClient,
  createTieredStore,
  Keyspace,
  RedisMessageBus,
  RedisTier,
} from '../src/index.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function openInstance(
  keyspace: Keyspace,
  pg: Awaited<ReturnType<typeof testPostgres>>,
  channelPrefix: string,
) {
  const redis = await testRedis();
  const bus = new RedisMessageBus(redis, { channelPrefix });
  const store = await createTieredStore({
    keyspace,
    cache: new RedisTier(redis),
    postgres: pg.tier,
    sweepIntervalMs: 0,
    bus,
  });
  await bus.settled();
  cleanups.push(async () => {
    await store.close();
    await bus.close();
    redis.disconnect();
  });
  return { store, bus };
}

async function eventually(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('TieredStore L1 invalidated over the bus', () => {
  it("a write or delete on store A is not served stale from store B's L1", async () => {
    const pg = await testPostgres();
    cleanups.push(() => pg.cleanup());
    const keyspace = new Keyspace({ prefix: uniqueId('t') });
    const buttons = keyspace.family({
      name: 'buttons',
      key: 'buttons:{id}',
      durability: 'durable',
      // Long enough that only the bus, never the TTL, can explain a fresh read.
      l1: { ttlMs: 600_000 },
    });
    const channelPrefix = `${uniqueId()}:`;
    const a = await openInstance(keyspace, pg, channelPrefix);
    const b = await openInstance(keyspace, pg, channelPrefix);
    const ref = buttons.key({ id: 'main' });

    await a.store.set(ref, 'v1');
    expect(await b.store.get(ref)).toBe('v1'); // now in B's L1
    await a.store.set(ref, 'v2');
    await eventually(async () => (await b.store.get(ref)) === 'v2');
    await a.store.update(ref, () => 'v3');
    await eventually(async () => (await b.store.get(ref)) === 'v3');
    await a.store.delete(ref);
    await eventually(async () => (await b.store.get(ref)) === undefined);
    // A's own L1 follows its own writes without the bus.
    expect(await a.store.get(ref)).toBeUndefined();
  });

  it('without a bus, B keeps serving its L1 copy (what the bus fixes)', async () => {
    const pg = await testPostgres();
    cleanups.push(() => pg.cleanup());
    const keyspace = new Keyspace({ prefix: uniqueId('t') });
    const family = keyspace.family({
      name: 'f',
      key: 'f:{id}',
      durability: 'durable',
      l1: { ttlMs: 600_000 },
    });
    const stores = await Promise.all(
      [0, 1].map(async () => {
        const redis = await testRedis();
        const store = await createTieredStore({
          keyspace,
          cache: new RedisTier(redis),
          postgres: pg.tier,
          sweepIntervalMs: 0,
        });
        cleanups.push(async () => {
          await store.close();
          redis.disconnect();
        });
        return store;
      }),
    );
    const ref = family.key({ id: '1' });
    await stores[0]!.set(ref, 'old');
    expect(await stores[1]!.get(ref)).toBe('old');
    await stores[0]!.set(ref, 'new');
    expect(await stores[1]!.get(ref)).toBe('old');
  });

  it('the L1 is cleared when the bus reconnects (invalidations may have been missed)', async () => {
    const pg = await testPostgres();
    cleanups.push(() => pg.cleanup());
    const keyspace = new Keyspace({ prefix: uniqueId('t') });
    const family = keyspace.family({
      name: 'f',
      key: 'f:{id}',
      durability: 'durable',
      l1: { ttlMs: 600_000 },
    });
    // The bus runs on a Redis of its own that we restart; the data stays on the shared one.
    const busServer = await startRedisServer();
    cleanups.push(() => busServer.stop());
    const busRedis = await createRedisClient(busServer.url);
    const bus = new RedisMessageBus(busRedis);
    const redis = await testRedis();
    const other = await testRedis();
    const store = await createTieredStore({
      keyspace,
      cache: new RedisTier(redis),
      postgres: pg.tier,
      sweepIntervalMs: 0,
      bus,
    });
    // The writer has no bus: its writes are invalidations the reader misses.
    const writer = await createTieredStore({
      keyspace,
      cache: new RedisTier(other),
      postgres: pg.tier,
      sweepIntervalMs: 0,
    });
    cleanups.push(async () => {
      await store.close();
      await writer.close();
      await bus.close();
      busRedis.disconnect();
      redis.disconnect();
      other.disconnect();
    });
    let resyncs = 0;
    bus.onResync(() => resyncs++);
    const ref = family.key({ id: '1' });
    await writer.set(ref, 'old');
    expect(await store.get(ref)).toBe('old');
    await writer.set(ref, 'new');
    expect(await store.get(ref)).toBe('old');
    await busServer.stop();
    await busServer.start();
    await eventually(async () => resyncs === 1, 15_000);
    expect(await store.get(ref)).toBe('new');
  });
});
