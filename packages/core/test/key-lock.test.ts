import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  dropKeyspace,
  type RedisServer,
  startRedisServer,
  TEST_DATABASE_URL,
  TEST_REDIS_URL,
  type TestPostgres,
  testKeyspace,
  testPostgres,
} from '../../../test-support/index.ts';
import {
  createRedisClient,
  createTieredStore,
  type Family,
  Keyspace,
  PostgresTier,
  pgSqlClient,
  RedisTier,
  type TieredStore,
} from '../src/index.ts';
import { lockKeyOf } from '../src/tiers/lock-keys.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('TieredStore.lock on real Redis + PostgreSQL', () => {
  let pgt: TestPostgres;
  let redis: Awaited<ReturnType<typeof createRedisClient>>;
  let keyspace: Keyspace;
  let stores: TieredStore[];
  let families: Record<
    'durable' | 'buffered' | 'ephemeral',
    Family<'c:{id}' | 'b:{id}' | 'e:{id}'>
  >;
  let n = 0;
  const id = () => `k${++n}`;

  beforeAll(async () => {
    pgt = await testPostgres();
    redis = await createRedisClient(TEST_REDIS_URL);
    keyspace = testKeyspace(4);
    families = {
      durable: keyspace.family({ name: 'c', key: 'c:{id}', durability: 'durable' }),
      buffered: keyspace.family({ name: 'b', key: 'b:{id}', durability: 'buffered' }),
      ephemeral: keyspace.family({
        name: 'e',
        key: 'e:{id}',
        durability: 'ephemeral',
        ttlMs: 600_000,
      }),
    };
    // Two stores on separate connections: two instances of an app.
    const second = await createRedisClient(TEST_REDIS_URL);
    stores = [
      await createTieredStore({
        keyspace,
        cache: new RedisTier(redis),
        postgres: pgt.tier,
        sweepIntervalMs: 0,
      }),
      await createTieredStore({
        keyspace,
        cache: new RedisTier(second),
        postgres: pgt.tier,
        sweepIntervalMs: 0,
      }),
    ];
  });
  afterAll(async () => {
    for (const store of stores ?? []) await store.close();
    await dropKeyspace(redis, keyspace);
    redis?.disconnect();
    await pgt?.cleanup();
  });

  async function increment(store: TieredStore, ref: ReturnType<Family['key']>): Promise<void> {
    const held = await store.lock([ref]);
    await sleep(Math.random() * 2); // the work of a handler, with no retry possible
    await held.commit([{ ref, value: ((held.get(ref) as number | undefined) ?? 0) + 1 }]);
  }

  it.each(['durable', 'buffered', 'ephemeral'] as const)(
    'serializes 2 x 100 concurrent read-modify-writes of one %s key: none lost',
    async (durability) => {
      const ref = families[durability].key({ id: id() });
      await Promise.all(
        Array.from({ length: 100 }, () => stores.map((store) => increment(store, ref))).flat(),
      );
      expect(await stores[0]!.get(ref)).toBe(200);
      expect(await stores[1]!.get(ref)).toBe(200);
    },
  );

  it('lets different keys proceed in parallel', async () => {
    const [a, b] = [families.durable.key({ id: id() }), families.durable.key({ id: id() })];
    const heldA = await stores[0]!.lock([a]);
    const heldB = await stores[1]!.lock([b], { waitMs: 1000 }); // would time out if it waited on A
    await heldB.commit([{ ref: b, value: 'b' }]);
    await heldA.commit([{ ref: a, value: 'a' }]);
    expect(await stores[0]!.getMany([a, b])).toEqual(['a', 'b']);
  });

  it('takes over from a holder that died, once its lease ends', async () => {
    const ref = families.ephemeral.key({ id: id() });
    await new RedisTier(redis).tryLock([ref], 'crashed-holder', 300);
    const held = await stores[0]!.lock([ref], { waitMs: 5000 });
    await held.commit([{ ref, value: 'after the lease' }]);
    expect(await stores[0]!.get(ref)).toBe('after the lease');
  });

  it('gives up with HS_LOCK_TIMEOUT while another holder keeps the key', async () => {
    const ref = families.durable.key({ id: id() });
    const held = await stores[0]!.lock([ref]);
    await expect(stores[1]!.lock([ref], { waitMs: 200 })).rejects.toMatchObject({
      code: 'HS_LOCK_TIMEOUT',
    });
    await held.release();
    const again = await stores[1]!.lock([ref], { waitMs: 1000 });
    await again.release();
  });

  it('refuses a write whose lease ran out and was taken by another holder (fencing)', async () => {
    const ref = families.ephemeral.key({ id: id() });
    const held = await stores[0]!.lock([ref], { leaseMs: 60_000 });
    await redis.del(lockKeyOf(ref)); // as if the lease had run out during a stall
    const other = await stores[1]!.lock([ref], { waitMs: 1000 });
    await expect(held.commit([{ ref, value: 'stale writer' }])).rejects.toMatchObject({
      code: 'HS_LOCK_LOST',
    });
    await other.commit([{ ref, value: 'current holder' }]);
    expect(await stores[0]!.get(ref)).toBe('current holder');
  });

  it('refuses a locked commit of a PostgreSQL-truth key that changed meanwhile, instead of overwriting it', async () => {
    const ref = families.durable.key({ id: id() });
    await stores[0]!.set(ref, 1);
    const held = await stores[0]!.lock([ref]);
    await stores[1]!.set(ref, 'written without the lock');
    await expect(held.commit([{ ref, value: 2 }])).rejects.toMatchObject({ code: 'HS_LOCK_LOST' });
    expect(await stores[0]!.get(ref)).toBe('written without the lock');
  });

  it('releases every lock when a committed value is bad, writing nothing', async () => {
    const [a, b] = [families.durable.key({ id: id() }), families.durable.key({ id: id() })];
    const held = await stores[0]!.lock([a, b]);
    await expect(
      held.commit([
        { ref: a, value: 'fine' },
        { ref: b, value: () => 'not storable' },
      ]),
    ).rejects.toMatchObject({ code: 'HS_VALUE_NOT_SERIALIZABLE' });
    expect(await stores[0]!.getMany([a, b])).toEqual([undefined, undefined]);
    const again = await stores[1]!.lock([a, b], { waitMs: 500 });
    await again.release();
  });

  it('deletes through commit', async () => {
    const ref = families.durable.key({ id: id() });
    await stores[0]!.set(ref, 'there');
    const held = await stores[0]!.lock([ref]);
    expect(held.get(ref)).toBe('there');
    await held.commit([{ ref, delete: true }]);
    expect(await stores[1]!.get(ref)).toBeUndefined();
  });
});

describe('TieredStore.lock cost and Redis outage (own redis-server)', () => {
  let server: RedisServer;
  let pgt: TestPostgres;
  let pgServer: TestPostgres;
  beforeAll(async () => {
    server = await startRedisServer();
    pgt = await testPostgres();
    pgServer = pgt;
  });
  afterAll(async () => {
    await server?.stop();
    await pgt?.cleanup();
  });

  it('an uncontended lock, read, write and unlock is 2 Redis commands in 2 round trips, like GET + SET', async () => {
    const redis = await createRedisClient(server.url);
    const keyspace = new Keyspace({ prefix: 'cost' });
    const scene = keyspace.family({
      name: 'scene',
      key: 'scene:{id}',
      durability: 'ephemeral',
      ttlMs: 60_000,
    });
    const store = await createTieredStore({
      keyspace,
      cache: new RedisTier(redis),
      postgres: pgt.tier,
      sweepIntervalMs: 0,
    });
    const ref = scene.key({ id: 1 });
    await store.set(ref, 0);
    // Warm the script cache of this connection (the first use of a script sends its body).
    const warm = await store.lock([scene.key({ id: 0 })]);
    await warm.commit([{ ref: scene.key({ id: 0 }), value: 0 }]);
    // MONITOR shows what clients send; commands run inside scripts are marked "lua".
    const monitor = await redis.monitor(); // its own connection
    const sent: string[] = [];
    monitor.on('monitor', (_time: string, args: string[], source: string) => {
      if (!source.includes('lua')) sent.push(String(args[0]).toLowerCase());
    });
    await sleep(50);
    const held = await store.lock([ref]);
    await held.commit([{ ref, value: 1 }]);
    await sleep(50);
    monitor.disconnect();
    console.info('commands sent:', sent.join(', '));
    expect(sent).toEqual(['evalsha', 'evalsha']); // lock + read, then write + unlock
    await store.close();
    redis.disconnect();
  });

  it('never exhausts the pool with advisory-lock holders while Redis is down', async () => {
    const redis = await createRedisClient(server.url);
    const keyspace = new Keyspace({ prefix: 'pool' });
    const counter = keyspace.family({
      name: 'counter',
      key: 'counter:{id}',
      durability: 'durable',
    });
    const buffered = keyspace.family({ name: 'buf', key: 'buf:{id}', durability: 'buffered' });
    const pool = new pg.Pool({ connectionString: TEST_DATABASE_URL, max: 4 });
    const store = await createTieredStore({
      keyspace,
      cache: new RedisTier(redis),
      postgres: new PostgresTier(pgSqlClient(pool), { schema: pgServer.schema }),
      sweepIntervalMs: 0,
      postgresLockSlots: 2,
    });
    await server.stop();
    // 12 holders of distinct keys on a pool of 4: with at most 2 holding a connection each, the
    // others still find a connection for their reads and writes.
    await Promise.all(
      Array.from({ length: 12 }, async (_, i) => {
        const ref = counter.key({ id: i });
        const held = await store.lock([ref], { waitMs: 10_000 });
        await held.commit([{ ref, value: i }]);
      }),
    );
    expect(await store.get(counter.key({ id: 11 }))).toBe(11);
    // Buffered keys live newest in Redis: no lock without it.
    await expect(store.lock([buffered.key({ id: 1 })])).rejects.toMatchObject({
      code: 'HS_TIER_UNAVAILABLE',
    });
    await server.start();
    await store.close();
    redis.disconnect();
    await pool.end();
  });

  it('keeps serializing across instances with PostgreSQL advisory locks while Redis is down', async () => {
    const keyspace = new Keyspace({ prefix: 'down' });
    const counter = keyspace.family({
      name: 'counter',
      key: 'counter:{id}',
      durability: 'durable',
    });
    const instances = await Promise.all(
      [0, 1].map(async () => {
        const redis = await createRedisClient(server.url);
        const pool = new pg.Pool({ connectionString: TEST_DATABASE_URL, max: 5 });
        const store = await createTieredStore({
          keyspace,
          cache: new RedisTier(redis),
          postgres: new PostgresTier(pgSqlClient(pool), { schema: pgServer.schema }),
          sweepIntervalMs: 0,
        });
        return { store, redis, pool };
      }),
    );
    await server.stop();
    const ref = counter.key({ id: 1 });
    await Promise.all(
      Array.from({ length: 50 }, () =>
        instances.map(async ({ store }) => {
          const held = await store.lock([ref]);
          await sleep(Math.random() * 2);
          await held.commit([{ ref, value: ((held.get(ref) as number | undefined) ?? 0) + 1 }]);
        }),
      ).flat(),
    );
    expect(JSON.parse((await pgServer.tier.read([ref]))[0]!.value)).toBe(100);
    await server.start();
    for (const { store, redis, pool } of instances) {
      await store.close();
      redis.disconnect();
      await pool.end();
    }
  });
});
