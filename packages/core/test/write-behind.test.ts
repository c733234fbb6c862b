import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  dropKeyspace,
  TEST_REDIS_URL,
  type TestPostgres,
  testKeyspace,
  testPostgres,
} from '../../../test-support/index.ts';
import {
  createRedisClient,
  createTieredStore,
  type Family,
  journalKeysOf,
  Keyspace,
  RedisTier,
  type TieredStore,
} from '../src/index.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('buffered durability (write-behind) on real Redis + PostgreSQL', () => {
  let pg: TestPostgres;
  let redis: Awaited<ReturnType<typeof createRedisClient>>;
  let keyspace: Keyspace;
  let store: TieredStore;
  let memory: Family<'user_memory:{userId}'>;
  let short: Family<'booking:{userId}'>;
  let n = 0;
  const id = () => `u${++n}`;

  beforeAll(async () => {
    pg = await testPostgres();
    redis = await createRedisClient(TEST_REDIS_URL);
    keyspace = testKeyspace(4);
    memory = keyspace.family({
      name: 'user_memory',
      key: 'user_memory:{userId}',
      durability: 'buffered',
      cacheTtlMs: 3_600_000,
    });
    short = keyspace.family({
      name: 'booking',
      key: 'booking:{userId}',
      durability: 'buffered',
      cacheTtlMs: 2000,
    });
    store = await createTieredStore({
      keyspace,
      cache: new RedisTier(redis),
      postgres: pg.tier,
      sweepIntervalMs: 0,
      writeBehind: { flushIntervalMs: 600_000, pollMs: 100 },
    });
  });
  afterAll(async () => {
    await store?.close();
    await dropKeyspace(redis, keyspace);
    redis?.disconnect();
    await pg?.cleanup();
  });

  it('acknowledges once Redis holds the value and its journal entry; PostgreSQL gets it at the flush', async () => {
    const ref = memory.key({ userId: id() });
    await store.set(ref, [{ role: 'user', text: 'hi' }]);
    const [copy] = await new RedisTier(redis).read([ref]);
    const journal = await redis.xrange(journalKeysOf(ref).journal, '-', '+');
    const entry = journal.find(([, fields]) => fields.includes(ref.key));
    expect(entry).toBeDefined();
    expect(entry![1]).toEqual(
      expect.arrayContaining(['v', String(copy!.version), 'd', copy!.value]),
    );
    expect(await pg.tier.read([ref])).toEqual([null]);

    expect(await store.flush()).toBeGreaterThanOrEqual(1);
    const [row] = await pg.tier.read([ref]);
    expect(row?.version).toBe(copy?.version);
    expect(JSON.parse(row!.value)).toEqual([{ role: 'user', text: 'hi' }]);
    expect(await redis.xlen(journalKeysOf(ref).journal)).toBe(0);
  });

  it('is idempotent and version-guarded: replaying an older entry never overwrites a newer value', async () => {
    const ref = memory.key({ userId: id() });
    await store.set(ref, 'old');
    const [old] = await new RedisTier(redis).read([ref]);
    await store.set(ref, 'new');
    await store.flush();
    // Replay the older write as if a crashed flusher's batch came back.
    await redis.xadd(
      journalKeysOf(ref).journal,
      '*',
      'n',
      memory.namespace,
      'k',
      ref.key,
      'v',
      String(old!.version),
      'e',
      '',
      'd',
      old!.value,
    );
    await store.flush();
    expect(JSON.parse((await pg.tier.read([ref]))[0]!.value)).toBe('new');
    expect((await store.writeBehindStatus())?.supersededRows).toBeGreaterThanOrEqual(1);
  });

  it('writes deletions through the journal as tombstones', async () => {
    const ref = memory.key({ userId: id() });
    await store.set(ref, 1);
    await store.flush();
    await store.delete(ref);
    expect(await store.get(ref)).toBeUndefined();
    await store.flush();
    expect(await pg.tier.read([ref])).toEqual([null]);
  });

  it('keeps a stored null apart from a deletion through the flush', async () => {
    const ref = memory.key({ userId: id() });
    await store.set(ref, null);
    await store.flush();
    const [row] = await pg.tier.read([ref]);
    expect(row?.value).toBe('null');
    await redis.del(ref.redisKey);
    expect(await store.get(ref)).toBeNull();
  });

  it('never loses a concurrent update of a buffered key', async () => {
    const ref = memory.key({ userId: id() });
    await Promise.all(
      Array.from({ length: 100 }, () =>
        store.update(ref, (count: unknown) => ((count as number | undefined) ?? 0) + 1),
      ),
    );
    await store.flush();
    expect(await store.get(ref)).toBe(100);
    expect(JSON.parse((await pg.tier.read([ref]))[0]!.value)).toBe(100);
  });

  it('continues from PostgreSQL after the Redis copy expired (update keeps the base value)', async () => {
    const ref = memory.key({ userId: id() });
    await store.set(ref, 41);
    await store.flush();
    await redis.del(ref.redisKey);
    expect(await store.update(ref, (v: unknown) => (v as number) + 1)).toBe(42);
    await store.flush();
    expect(JSON.parse((await pg.tier.read([ref]))[0]!.value)).toBe(42);
  });

  it('reaches PostgreSQL before a 2-second Redis TTL runs out', async () => {
    const ref = short.key({ userId: id() });
    const started = Date.now();
    await store.set(ref, { phone: '+79991234567', time: '10:00' });
    let inPostgresAfterMs = -1;
    while (Date.now() - started < 2000) {
      if ((await pg.tier.read([ref]))[0] !== null) {
        inPostgresAfterMs = Date.now() - started;
        break;
      }
      await sleep(25);
    }
    const stillInRedis = (await redis.exists(ref.redisKey)) === 1;
    console.info(
      `2 s TTL key reached PostgreSQL after ${inPostgresAfterMs} ms (Redis copy still there: ${stillInRedis})`,
    );
    expect(inPostgresAfterMs).toBeGreaterThanOrEqual(0);
    expect(stillInRedis).toBe(true);
  });

  it('refuses a value PostgreSQL could never store before acknowledging it', async () => {
    const ref = memory.key({ userId: id() });
    await store.set(ref, 'kept');
    await expect(store.set(ref, 'nul \u0000 byte')).rejects.toMatchObject({
      code: 'HS_VALUE_REJECTED',
    });
    await expect(store.set(ref, 'lone \uD800 surrogate')).rejects.toMatchObject({
      code: 'HS_VALUE_REJECTED',
    });
    expect(await store.get(ref)).toBe('kept');
  });

  it('sets a poison entry aside with its error and commits the rest of the batch', async () => {
    const refs = Array.from({ length: 50 }, () => memory.key({ userId: id() }));
    const poison = refs[17]!;
    await store.setMany(
      refs.filter((ref) => ref !== poison).map((ref) => ({ ref, value: 'fine' })),
    );
    // A value that got into the journal without the write-time check (an older writer, say).
    await redis.xadd(
      journalKeysOf(poison).journal,
      '*',
      'n',
      memory.namespace,
      'k',
      poison.key,
      'v',
      '1',
      'e',
      '',
      'c',
      '60000',
      'd',
      '"nul \\u0000 byte"',
    );
    const before = (await store.writeBehindStatus())!.deadLetters;
    await store.flush();
    const rows = await pg.tier.read(refs);
    expect(rows.filter((r) => r !== null)).toHaveLength(49);
    expect(rows[17]).toBeNull();
    const status = (await store.writeBehindStatus())!;
    expect(status.deadLetters).toBe(before + 1);
    expect(status.pending).toBe(0);
    const letters = await redis.xrange(journalKeysOf(poison).dead, '-', '+');
    expect(
      letters.some(
        ([, f]) => f.includes(poison.key) && f.some((x) => /unsupported Unicode|\\u0000/.test(x)),
      ),
    ).toBe(true);
  });

  it('keeps a pending value in Redis without a cache TTL until it is flushed, then starts the TTL', async () => {
    const ref = memory.key({ userId: id() });
    await store.set(ref, 'pending');
    expect(await redis.pttl(ref.redisKey)).toBe(-1); // cannot expire before PostgreSQL has it
    await store.flush();
    const ttl = await redis.pttl(ref.redisKey);
    expect(ttl).toBeGreaterThan(3_500_000);
    expect(ttl).toBeLessThanOrEqual(3_600_000);
  });

  it('writes journal entries of families this process does not declare (rolling deploys)', async () => {
    const other = new Keyspace({ prefix: keyspace.prefix, shards: keyspace.shards });
    const newer = other.family({
      name: 'declared_elsewhere',
      key: 'elsewhere:{id}',
      durability: 'buffered',
    });
    const writer = await createTieredStore({
      keyspace: other,
      cache: new RedisTier(redis),
      postgres: pg.tier,
      sweepIntervalMs: 0,
      writeBehind: { enabled: false },
    });
    const ref = newer.key({ id: id() });
    await writer.set(ref, 'from the new release');
    await store.flush(); // this store's keyspace has no such family
    expect(JSON.parse((await pg.tier.read([ref]))[0]!.value)).toBe('from the new release');
    await writer.close();
  });

  it('writes the last value of a key named twice in one setMany, in every tier', async () => {
    const ref = memory.key({ userId: id() });
    await store.setMany([
      { ref, value: 'A' },
      { ref, value: 'B' },
    ]);
    expect(await store.get(ref)).toBe('B');
    await store.flush();
    expect(JSON.parse((await pg.tier.read([ref]))[0]!.value)).toBe('B');
  });

  it('reports pending entries and lag in health, and drains them', async () => {
    await store.flush();
    const refs = Array.from({ length: 20 }, () => memory.key({ userId: id() }));
    await store.setMany(refs.map((ref) => ({ ref, value: 1 })));
    const pending = (await store.health()).writeBehind as {
      pending: number;
      oldestPendingAgeMs: number | null;
    };
    expect(pending.pending).toBeGreaterThanOrEqual(20);
    expect(pending.oldestPendingAgeMs).not.toBeNull();
    await store.flush();
    const drained = (await store.health()).writeBehind as {
      pending: number;
      lastFlushRows: number;
    };
    expect(drained.pending).toBe(0);
    expect(drained.lastFlushRows).toBeGreaterThan(0);
  });

  it('lists a buffered family from PostgreSQL after flushing it', async () => {
    const ref = memory.key({ userId: id() });
    await store.set(ref, 'listed');
    const keys: string[] = [];
    for await (const page of store.keys(memory)) keys.push(...page.map((r) => r.key));
    expect(keys).toContain(ref.key);
  });

  it('two flushers on one journal under load: PostgreSQL ends equal to Redis', async () => {
    const redis2 = await createRedisClient(TEST_REDIS_URL);
    const other = await createTieredStore({
      keyspace,
      cache: new RedisTier(redis2),
      postgres: pg.tier,
      sweepIntervalMs: 0,
      writeBehind: { flushIntervalMs: 600_000, pollMs: 50, batchSize: 50 },
    });
    const refs = Array.from({ length: 40 }, () => memory.key({ userId: id() }));
    let running = true;
    const flushers = [store, other].map(async (s) => {
      while (running) await s.flush();
    });
    const writers = [store, other].map(async (s, w) => {
      for (let i = 0; i < 600; i++) {
        const ref = refs[(i * 7 + w) % refs.length]!;
        if (i % 3 === 0) await s.update(ref, (v: unknown) => ((v as number | undefined) ?? 0) + 1);
        else await s.set(ref, i * 10 + w);
      }
    });
    await Promise.all(writers);
    running = false;
    await Promise.all(flushers);
    await store.flush();
    await other.flush();
    const inRedis = await new RedisTier(redis).read(refs);
    const inPostgres = await pg.tier.read(refs);
    expect(inPostgres.map((r) => r && { v: r.version, d: JSON.parse(r.value) })).toEqual(
      inRedis.map((r) => r && { v: r.version, d: JSON.parse(r.value) }),
    );
    await other.close();
    redis2.disconnect();
  });
});
