import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type RedisServer,
  startRedisServer,
  type TestPostgres,
  testKeyspace,
  testPostgres,
} from '../../../test-support/index.ts';
import {
  createRedisClient,
  createTieredStore,
  type Family,
  RedisTier,
  type TieredStore,
} from '../src/index.ts';

/**
 * The stated bound: a Redis command gives up after 250 ms (REDIS_CLIENT_DEFAULTS.commandTimeout),
 * a call makes at most one Redis attempt before falling back, then PostgreSQL answers.
 */
const CALL_BOUND_MS = 1000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Redis outage (own redis-server, real PostgreSQL)', () => {
  let server: RedisServer;
  let pg: TestPostgres;
  let redis: Awaited<ReturnType<typeof createRedisClient>>;
  let store: TieredStore;
  let account: Family<'acct:{id}'>;
  let scene: Family<'scene:{id}'>;

  beforeAll(async () => {
    server = await startRedisServer();
    pg = await testPostgres();
    redis = await createRedisClient(server.url);
    const keyspace = testKeyspace();
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
      postgres: pg.tier,
      sweepIntervalMs: 0,
      probeDelayMs: 100,
    });
  });

  afterAll(async () => {
    await store?.close();
    redis?.disconnect();
    await server?.stop();
    await pg?.cleanup();
  });

  async function untilHealthy(): Promise<void> {
    for (let i = 0; i < 200; i++) {
      if ((await store.health()).tiers.redis.status === 'up') return;
      await sleep(50);
    }
    throw new Error('Redis circuit did not close');
  }

  it('loses no acknowledged durable write and never blocks past the bound while Redis stops, restarts, freezes and thaws', async () => {
    const acked = new Map<string, number>();
    const errors: unknown[] = [];
    let longestMs = 0;
    let calls = 0;
    let running = true;
    const timed = async <T>(call: () => Promise<T>): Promise<T | undefined> => {
      const started = performance.now();
      try {
        return await call();
      } catch (error) {
        if (errors.length < 10) errors.push(error);
        return undefined;
      } finally {
        longestMs = Math.max(longestMs, performance.now() - started);
        calls++;
      }
    };
    const worker = async (w: number) => {
      for (let n = 1; running; n++) {
        const id = `w${w}-${n % 10}`;
        const ref = account.key({ id });
        const ok = await timed(() => store.set(ref, n).then(() => true));
        if (ok) acked.set(id, n);
        await timed(() => store.get(ref));
        await timed(() => store.set(scene.key({ id }), n));
      }
    };
    const workers = Array.from({ length: 6 }, (_, w) => worker(w));

    try {
      await sleep(500);
      await server.stop(); // Redis goes away: connections refused
      await sleep(1200);
      await server.start(); // comes back empty (no persistence)
      await untilHealthy();
      await sleep(500);
      server.pause(); // Redis hangs: connections open, no replies
      await sleep(1200);
      server.resume();
      await untilHealthy();
      await sleep(500);
    } finally {
      server.resume();
      running = false;
      await Promise.all(workers);
    }
    await untilHealthy();

    let lost = 0;
    for (const [id, value] of acked) {
      const ref = account.key({ id });
      const [row] = await pg.tier.read([ref]);
      if (JSON.parse(row?.value ?? 'null') !== value || (await store.get(ref)) !== value) lost++;
    }
    console.info(
      `redis outage: ${calls} calls, ${acked.size} keys, lost ${lost}, errors ${errors.length}, longest call ${longestMs.toFixed(0)} ms`,
    );
    expect(acked.size).toBe(60);
    expect(lost).toBe(0);
    expect(errors).toEqual([]);
    expect(longestMs).toBeLessThan(CALL_BOUND_MS);
  });

  it('never serves a value that was overwritten while Redis was unreachable', async () => {
    await untilHealthy();
    const ref = account.key({ id: 'stale-check' });
    await store.set(ref, 'before');
    expect((await redis.hget(ref.redisKey, 'd')) ?? '').toBe('"before"');

    server.pause(); // Redis keeps its (soon stale) copy
    await store.set(ref, 'during-1');
    await store.set(ref, 'during-2');
    expect(await store.get(ref)).toBe('during-2');
    server.resume();
    await untilHealthy();

    expect(await store.get(ref)).toBe('during-2');
    const copy = await redis.hget(ref.redisKey, 'd');
    expect(copy === null || JSON.parse(copy) === 'during-2').toBe(true);
  });

  it('reports Redis down in health while it is down, and ok again after', async () => {
    await untilHealthy();
    await server.stop();
    await store.get(account.key({ id: 'probe-1' })).catch(() => undefined);
    await store.get(account.key({ id: 'probe-2' })).catch(() => undefined);
    const down = await store.health();
    expect(down.status).toBe('degraded');
    expect(down.tiers.redis).toMatchObject({ status: 'down', mode: 'redis' });
    expect(down.tiers.postgres.status).toBe('up');
    await server.start();
    await untilHealthy();
    expect((await store.health()).status).toBe('ok');
  });
});
