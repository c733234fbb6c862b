import { PGlite } from '@electric-sql/pglite';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  dropKeyspace,
  testKeyspace,
  testPostgres,
  testRedis,
} from '../../../test-support/index.ts';
import {
  type CacheTier,
  createTieredStore,
  Keyspace,
  MemoryTier,
  PostgresTier,
  pgliteSqlClient,
  RedisTier,
  type TieredStore,
} from '../src/index.ts';

interface Setup {
  store: TieredStore;
  keyspace: Keyspace;
  cache: CacheTier;
  postgres: PostgresTier;
  redis?: Redis;
  cleanup(): Promise<void>;
}

function declare(keyspace: Keyspace) {
  return {
    profile: keyspace.family({
      name: 'profile',
      key: 'user:{userId}:profile',
      durability: 'durable',
    }),
    session: keyspace.family({
      name: 'session',
      key: 'session:{id}',
      durability: 'durable',
      ttlMs: 60_000,
    }),
    scene: keyspace.family({
      name: 'scene',
      key: 'scene:{userId}:{chatId}',
      durability: 'ephemeral',
      ttlMs: 60_000,
    }),
    counter: keyspace.family({ name: 'counter', key: 'counter:{id}', durability: 'durable' }),
    hits: keyspace.family({
      name: 'hits',
      key: 'hits:{id}',
      durability: 'ephemeral',
      ttlMs: 60_000,
    }),
    typed: keyspace.family({
      name: 'typed',
      key: 'typed:{id}',
      durability: 'durable',
      schema: z.object({ balance: z.number().int().nonnegative() }),
    }),
    hot: keyspace.family({
      name: 'hot',
      key: 'hot:{id}',
      durability: 'durable',
      l1: { ttlMs: 60_000 },
    }),
  };
}

const setups: [string, () => Promise<Setup>][] = [
  [
    'Redis + PostgreSQL',
    async () => {
      const redis = await testRedis();
      const pg = await testPostgres();
      const keyspace = testKeyspace();
      const cache = new RedisTier(redis);
      const store = await createTieredStore({
        keyspace,
        cache,
        postgres: pg.tier,
        sweepIntervalMs: 0,
      });
      return {
        store,
        keyspace,
        cache,
        postgres: pg.tier,
        redis,
        async cleanup() {
          await store.close();
          await dropKeyspace(redis, keyspace);
          redis.disconnect();
          await pg.cleanup();
        },
      };
    },
  ],
  [
    'embedded: memory + PGlite',
    async () => {
      const db = await PGlite.create();
      const keyspace = testKeyspace();
      const cache = new MemoryTier();
      const postgres = new PostgresTier(pgliteSqlClient(db));
      const store = await createTieredStore({ keyspace, cache, postgres, sweepIntervalMs: 0 });
      return {
        store,
        keyspace,
        cache,
        postgres,
        async cleanup() {
          await store.close();
          await db.close();
        },
      };
    },
  ],
];

describe.each(setups)('TieredStore on %s', (_, create) => {
  let s: Setup;
  let f: ReturnType<typeof declare>;
  let n = 0;
  const id = () => `id-${++n}`;

  beforeAll(async () => {
    s = await create();
    f = declare(s.keyspace);
  });
  afterAll(async () => s?.cleanup());

  it('returns undefined for a missing key and round-trips rich values', async () => {
    const ref = f.profile.key({ userId: id() });
    expect(await s.store.get(ref)).toBeUndefined();
    const value = {
      name: 'Ann',
      joined: new Date('2025-09-11T00:00:00Z'),
      balance: 10n ** 20n,
      tags: new Set(['a']),
      meta: new Map([['k', 1]]),
      nothing: null,
    };
    await s.store.set(ref, value);
    expect(await s.store.get(ref)).toEqual(value);
  });

  it('acknowledges a durable write only once PostgreSQL has it, and writes Redis through with the same version', async () => {
    const ref = f.profile.key({ userId: id() });
    await s.store.set(ref, { v: 1 });
    const [row] = await s.postgres.read([ref]);
    const [copy] = await s.cache.read([ref]);
    expect(JSON.parse(row!.value)).toEqual({ v: 1 });
    expect(JSON.parse(copy!.value)).toEqual({ v: 1 });
    expect(copy?.version).toBe(row?.version);
  });

  it('serves a value from PostgreSQL when the cache lost it, and restores the cache', async () => {
    const ref = f.session.key({ id: id() });
    await s.store.set(ref, { user: 'u1' });
    await s.cache.evictOlderThan([ref], [Number.MAX_SAFE_INTEGER]);
    expect(await s.cache.read([ref])).toEqual([null]);
    expect(await s.store.get(ref)).toEqual({ user: 'u1' });
    expect(JSON.parse((await s.cache.read([ref]))[0]!.value)).toEqual({ user: 'u1' });
  });

  it('keeps ephemeral values out of PostgreSQL', async () => {
    const ref = f.scene.key({ userId: 1, chatId: id() });
    await s.store.set(ref, { step: 2 });
    expect(await s.store.get(ref)).toEqual({ step: 2 });
    expect(await s.postgres.read([ref])).toEqual([null]);
  });

  it('loads keys of several families in one call, in order', async () => {
    const [a, b, c] = [
      f.profile.key({ userId: id() }),
      f.scene.key({ userId: 2, chatId: id() }),
      f.session.key({ id: id() }),
    ];
    await s.store.setMany([
      { ref: a, value: 'A' },
      { ref: b, value: 'B' },
    ]);
    expect(await s.store.getMany([a, b, c])).toEqual(['A', 'B', undefined]);
  });

  it('deletes from every tier', async () => {
    const ref = f.profile.key({ userId: id() });
    await s.store.set(ref, 1);
    await s.store.delete(ref);
    expect(await s.store.get(ref)).toBeUndefined();
    expect(await s.postgres.read([ref])).toEqual([null]);
    expect(await s.cache.read([ref])).toEqual([null]);
  });

  it('writes the last value of a key named twice in one setMany, in every tier', async () => {
    const ref = f.profile.key({ userId: id() });
    await s.store.setMany([
      { ref, value: 'A' },
      { ref, value: 'B' },
    ]);
    expect(await s.store.get(ref)).toBe('B');
    expect(JSON.parse((await s.cache.read([ref]))[0]!.value)).toBe('B');
    expect(JSON.parse((await s.postgres.read([ref]))[0]!.value)).toBe('B');
  });

  it('stores null as a value, distinct from a missing key', async () => {
    const ref = f.profile.key({ userId: id() });
    await s.store.set(ref, null);
    expect(await s.store.get(ref)).toBeNull();
  });

  it('never loses a concurrent update within one process (durable and ephemeral)', async () => {
    const durable = f.counter.key({ id: id() });
    const ephemeral = f.hits.key({ id: id() });
    await Promise.all(
      Array.from({ length: 200 }, () => [
        s.store.update(durable, (count: unknown) => ((count as number | undefined) ?? 0) + 1),
        s.store.update(ephemeral, (count: unknown) => ((count as number | undefined) ?? 0) + 1),
      ]).flat(),
    );
    expect(await s.store.get(durable)).toBe(200);
    expect(await s.store.get(ephemeral)).toBe(200);
  });

  it('never loses an update between two stores sharing the tiers (two instances)', async () => {
    const other = await createTieredStore({
      keyspace: s.keyspace,
      cache: s.cache,
      postgres: s.postgres,
      sweepIntervalMs: 0,
    });
    const ref = f.counter.key({ id: id() });
    const bump = (store: TieredStore) =>
      store.update(ref, (count: unknown) => ((count as number | undefined) ?? 0) + 1);
    await Promise.all(Array.from({ length: 50 }, () => [bump(s.store), bump(other)]).flat());
    expect(await s.store.get(ref)).toBe(100);
    expect(await other.get(ref)).toBe(100);
    await other.close();
  });

  it('writes nothing when the update function returns undefined', async () => {
    const ref = f.counter.key({ id: id() });
    await s.store.set(ref, 5);
    expect(await s.store.update(ref, () => undefined)).toBe(5);
    expect(await s.store.get(ref)).toBe(5);
  });

  it('reports the remaining lifetime: a number, null for forever, undefined when absent', async () => {
    const withTtl = f.session.key({ id: id() });
    const forever = f.profile.key({ userId: id() });
    await s.store.set(withTtl, 1);
    await s.store.set(forever, 1);
    const ttl = await s.store.ttl(withTtl);
    expect(ttl).toBeGreaterThan(55_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
    expect(await s.store.ttl(forever)).toBeNull();
    expect(await s.store.ttl(f.profile.key({ userId: id() }))).toBeUndefined();
  });

  it('honours a per-write TTL', async () => {
    const ref = f.profile.key({ userId: id() });
    await s.store.set(ref, 'short', { ttlMs: 150 });
    expect(await s.store.get(ref)).toBe('short');
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await s.store.get(ref)).toBeUndefined();
  });

  describe('bad input changes nothing', () => {
    it.each([
      ['an oversized value', () => 'x'.repeat(1_048_577), 'HS_VALUE_TOO_LARGE'],
      ['a function', () => ({ f: () => 1 }), 'HS_VALUE_NOT_SERIALIZABLE'],
      [
        'a cycle',
        () => {
          const a: Record<string, unknown> = {};
          a.a = a;
          return a;
        },
        'HS_VALUE_NOT_SERIALIZABLE',
      ],
      ['a NUL character PostgreSQL refuses', () => 'a\u0000b', 'HS_VALUE_REJECTED'],
    ])('%s', async (_, make, code) => {
      const ref = f.profile.key({ userId: id() });
      await s.store.set(ref, 'kept');
      await expect(s.store.set(ref, make())).rejects.toMatchObject({ code });
      expect(await s.store.get(ref)).toBe('kept');
    });

    it('an invalid TTL', async () => {
      const ref = f.profile.key({ userId: id() });
      for (const ttlMs of [0, -5, 1.5, Number.NaN])
        await expect(s.store.set(ref, 1, { ttlMs })).rejects.toMatchObject({
          code: 'HS_TTL_INVALID',
        });
      expect(await s.store.get(ref)).toBeUndefined();
    });

    it('a key from another keyspace', async () => {
      const foreign = new Keyspace({ prefix: 'other' }).family({
        name: 'profile',
        key: 'user:{userId}:profile',
        durability: 'durable',
      });
      await expect(s.store.get(foreign.key({ userId: 1 }))).rejects.toMatchObject({
        code: 'HS_KEY_INVALID',
      });
    });

    it('a value that breaks the family schema', async () => {
      const ref = f.typed.key({ id: id() });
      await s.store.set(ref, { balance: 3 });
      await expect(s.store.set(ref, { balance: -1 })).rejects.toMatchObject({
        code: 'HS_VALUE_INVALID',
        message: expect.stringContaining('balance'),
      });
      expect(await s.store.get(ref)).toEqual({ balance: 3 });
    });

    it('one bad value in a batch: none of the batch is written', async () => {
      const [a, b] = [f.profile.key({ userId: id() }), f.profile.key({ userId: id() })];
      await expect(
        s.store.setMany([
          { ref: a, value: 1 },
          { ref: b, value: Symbol('x') },
        ]),
      ).rejects.toMatchObject({ code: 'HS_VALUE_NOT_SERIALIZABLE' });
      expect(await s.store.getMany([a, b])).toEqual([undefined, undefined]);
    });
  });

  it('raises HS_CORRUPT_VALUE naming the key when a stored value is damaged, never {}', async () => {
    const ref = f.profile.key({ userId: id() });
    await s.cache.write([{ ref, value: '{"broken":', expiresAt: null, ttlMs: 60_000 }]);
    await expect(s.store.get(ref)).rejects.toMatchObject({
      code: 'HS_CORRUPT_VALUE',
      message: expect.stringContaining(ref.redisKey),
    });
  });

  it('lists and counts a family through the right tier', async () => {
    const before = await s.store.count(f.session);
    const refs = Array.from({ length: 25 }, () => f.session.key({ id: id() }));
    await s.store.setMany(refs.map((ref) => ({ ref, value: 1 })));
    expect(await s.store.count(f.session)).toBe(before + 25);
    const scenes = Array.from({ length: 7 }, () => f.scene.key({ userId: 9, chatId: id() }));
    await s.store.setMany(scenes.map((ref) => ({ ref, value: 1 })));
    const listed: string[] = [];
    for await (const page of s.store.keys(f.scene)) listed.push(...page.map((r) => r.key));
    expect(listed).toEqual(expect.arrayContaining(scenes.map((r) => r.key)));
  });

  it('serves an L1 family from process memory after the first read', async () => {
    const ref = f.hot.key({ id: id() });
    await s.store.set(ref, 'warm');
    await s.cache.evictOlderThan([ref], [Number.MAX_SAFE_INTEGER]);
    expect(await s.store.get(ref)).toBe('warm');
    expect(await s.cache.read([ref])).toEqual([null]); // not even a restore: L1 answered
  });

  it('reports health with each tier mode', async () => {
    const health = await s.store.health();
    expect(health.status).toBe('ok');
    expect(health.tiers.redis.mode).toBe(s.cache.kind);
    expect(health.tiers.postgres.mode).toBe(s.postgres.kind);
    expect(health.tiers.postgres.status).toBe('up');
  });
});

describe('TieredStore with Redis', () => {
  it('reports a foreign value sitting on its key as corrupt, naming the key', async () => {
    const redis = await testRedis();
    const pg = await testPostgres();
    const keyspace = testKeyspace();
    const profile = keyspace.family({ name: 'profile', key: 'p:{id}', durability: 'durable' });
    const store = await createTieredStore({
      keyspace,
      cache: new RedisTier(redis),
      postgres: pg.tier,
      sweepIntervalMs: 0,
    });
    const ref = profile.key({ id: 1 });
    await redis.set(ref.redisKey, '{}');
    await expect(store.get(ref)).rejects.toMatchObject({
      code: 'HS_CORRUPT_VALUE',
      message: expect.stringContaining(ref.redisKey),
    });
    await store.close();
    await dropKeyspace(redis, keyspace);
    redis.disconnect();
    await pg.cleanup();
  });
});
