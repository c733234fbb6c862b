import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  dropKeyspace,
  startTcpProxy,
  type TcpProxy,
  TEST_DATABASE_URL,
  testKeyspace,
  testRedis,
  uniqueId,
} from '../../../test-support/index.ts';
import {
  createTieredStore,
  type Family,
  PostgresTier,
  pgSqlClient,
  RedisTier,
  type TieredStore,
} from '../src/index.ts';

describe('PostgreSQL outage (real PostgreSQL behind a TCP proxy the test cuts)', () => {
  let proxy: TcpProxy;
  let pool: pg.Pool;
  let redis: Awaited<ReturnType<typeof testRedis>>;
  let store: TieredStore;
  let account: Family<'acct:{id}'>;
  let scene: Family<'scene:{id}'>;
  const schema = uniqueId('hs_t_');
  const keyspace = testKeyspace();

  beforeAll(async () => {
    proxy = await startTcpProxy(Number(new URL(TEST_DATABASE_URL).port || 5432));
    const url = new URL(TEST_DATABASE_URL);
    url.port = String(proxy.port);
    pool = new pg.Pool({ connectionString: url.href, connectionTimeoutMillis: 500, max: 4 });
    pool.on('error', () => undefined);
    redis = await testRedis();
    account = keyspace.family({ name: 'acct', key: 'acct:{id}', durability: 'durable' });
    scene = keyspace.family({
      name: 'scene',
      key: 'scene:{id}',
      durability: 'ephemeral',
      ttlMs: 60_000,
    });
    store = await createTieredStore({
      keyspace,
      cache: new RedisTier(redis),
      postgres: new PostgresTier(pgSqlClient(pool), { schema }),
      sweepIntervalMs: 0,
      probeDelayMs: 100,
    });
  });

  afterAll(async () => {
    await store?.close();
    await proxy?.restore().catch(() => undefined);
    await pool?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await pool?.end();
    await proxy?.close();
    await dropKeyspace(redis, keyspace);
    redis?.disconnect();
  });

  it('fails durable writes with a typed error, keeps ephemeral data working, reports degraded, and recovers', async () => {
    const before = account.key({ id: 'before' });
    await store.set(before, 'committed');

    await proxy.cut();
    const started = performance.now();
    await expect(
      store.set(account.key({ id: 'during' }), 'never acknowledged'),
    ).rejects.toMatchObject({ code: 'HS_TIER_UNAVAILABLE' });
    await expect(
      store.set(account.key({ id: 'during' }), 'never acknowledged'),
    ).rejects.toMatchObject({ code: 'HS_TIER_UNAVAILABLE' });
    expect(performance.now() - started).toBeLessThan(3000);
    await expect(store.update(account.key({ id: 'during' }), () => 1)).rejects.toMatchObject({
      code: 'HS_TIER_UNAVAILABLE',
    });

    await store.set(scene.key({ id: 's' }), { step: 3 });
    expect(await store.get(scene.key({ id: 's' }))).toEqual({ step: 3 });
    expect(await store.get(before)).toBe('committed'); // the Redis copy still serves reads
    const health = await store.health();
    expect(health.status).toBe('degraded');
    expect(health.tiers.postgres).toMatchObject({ status: 'down', mode: 'postgres' });
    expect(health.tiers.redis.status).toBe('up');

    await proxy.restore();
    for (let i = 0; i < 100 && (await store.health()).status !== 'ok'; i++)
      await new Promise((r) => setTimeout(r, 50));
    expect((await store.health()).status).toBe('ok');
    await store.set(account.key({ id: 'after' }), 'ok');
    expect(await store.get(account.key({ id: 'after' }))).toBe('ok');
    expect(await store.get(account.key({ id: 'during' }))).toBeUndefined();
  });
});
