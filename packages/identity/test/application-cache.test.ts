import { LocalMessageBus, RedisMessageBus } from '@hybridstate/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testRedis } from '../../../test-support/index.ts';
import { type IdentityWorld, identityWorld } from './identity-setup.ts';

let world: IdentityWorld;
beforeAll(async () => {
  world = await identityWorld();
});
afterAll(async () => world.cleanup());

const cacheKeys = (pattern: string) => world.redis.keys(`{${world.keyspace.prefix}:*}:${pattern}`);

describe('ApplicationCache', () => {
  it("stores with the seed's TTLs, declared in the keyspace registry", async () => {
    const web = world.stack('web');
    const admin = world.stack('admin');
    const telegram = world.stack('telegram');
    await web.cache.getOrSet('rates', 'usd_uah', () => 41.5);
    await web.cache.getOrSet('orders', 'user1', () => [1]);
    await admin.cache.getOrSet('metrics', 'daily', () => ({ n: 1 }));
    await admin.cache.getOrSet('reports', 'r1', () => 'pdf');
    await telegram.cache.getOrSet('conversations', 'c1', () => 'hi');
    await telegram.cache.getOrSet('commands', 'help', () => '/help');
    const ttl = async (pattern: string) => world.redis.pttl((await cacheKeys(pattern))[0]!);
    const minute = 60_000;
    for (const [pattern, ms] of [
      ['cache:web:rates:usd_uah', 5 * minute],
      ['cache:web:orders:user1', 30 * minute],
      ['cache:admin:metrics:daily', 15 * minute],
      ['cache:admin:reports:r1', 60 * minute],
      ['cache:telegram:conversations:c1', 24 * 60 * minute],
      ['cache:telegram:commands:help', 60 * minute],
    ] as const) {
      const left = await ttl(pattern);
      expect(left, pattern).toBeGreaterThan(ms - 5_000);
      expect(left, pattern).toBeLessThanOrEqual(ms);
    }
  });

  it('a context can only name its own caches', async () => {
    const web = world.stack('web');
    await expect(web.cache.getOrSet('metrics', 'daily', () => 1)).rejects.toMatchObject({
      code: 'HS_CACHE_UNKNOWN',
    });
  });

  it('runs the loader once for concurrent misses and serves hits from memory', async () => {
    const web = world.stack('web');
    let calls = 0;
    const loader = async () => {
      calls++;
      await new Promise((resolve) => setTimeout(resolve, 20));
      return { rate: 41 };
    };
    const values = await Promise.all(
      Array.from({ length: 50 }, () => web.cache.getOrSet('rates', 'eur_uah', loader)),
    );
    expect(calls).toBe(1);
    expect(values.every((v) => v.rate === 41)).toBe(true);
    // A second instance finds it in Redis without loading.
    const other = world.stack('web');
    expect(await other.cache.getOrSet('rates', 'eur_uah', loader)).toEqual({ rate: 41 });
    expect(calls).toBe(1);
  });

  it('serves the last value within grace while the loader fails, and fails clearly without one', async () => {
    const contexts = [
      { name: 'web', schema: 'web', caches: [{ name: 'rates', ttlMs: 30, graceMs: 60_000 }] },
    ];
    const web = world.stack('web', {
      contexts,
      keyspace: (await import('../../../test-support/index.ts')).testKeyspace(),
    });
    expect(await web.cache.getOrSet('rates', 'gbp', () => 1)).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    let calls = 0;
    const failing = () => {
      calls++;
      throw new Error('rates API down');
    };
    expect(await web.cache.getOrSet('rates', 'gbp', failing)).toBe(1);
    expect(await web.cache.getOrSet('rates', 'gbp', failing)).toBe(1);
    expect(calls).toBe(1); // backs off instead of hammering the failing source
    await expect(web.cache.getOrSet('rates', 'never-loaded', failing)).rejects.toMatchObject({
      code: 'HS_CACHE_LOAD_FAILED',
      cause: { message: 'rates API down' },
    });
  });

  it('invalidates by key, prefix and tag on every instance, through the Redis bus', async () => {
    const redisA = await testRedis();
    const redisB = await testRedis();
    const busA = new RedisMessageBus(redisA, { channelPrefix: `${world.keyspace.prefix}:` });
    const busB = new RedisMessageBus(redisB, { channelPrefix: `${world.keyspace.prefix}:` });
    await until(() => busA.connected && busB.connected);
    const a = world.stack('admin', { bus: busA });
    const b = world.stack('admin', { bus: busB });
    let version = 1;
    const load = () => version;
    for (const key of ['b-daily', 'b-weekly', 'b-hourly', 'b-monthly'])
      await a.cache.getOrSet('metrics', key, load, { tags: key === 'b-monthly' ? ['m'] : [] });
    for (const key of ['b-daily', 'b-weekly', 'b-hourly', 'b-monthly'])
      expect(await b.cache.getOrSet('metrics', key, load)).toBe(1); // now in B's memory too
    version = 2;

    await a.cache.delete('metrics', 'b-daily');
    await until(async () => (await b.cache.getOrSet('metrics', 'b-daily', load)) === 2);
    expect(await b.cache.getOrSet('metrics', 'b-weekly', load)).toBe(1);

    await b.cache.invalidatePrefix('metrics', 'b-week');
    await until(async () => (await a.cache.getOrSet('metrics', 'b-weekly', load)) === 2);
    expect(await a.cache.getOrSet('metrics', 'b-hourly', load)).toBe(1);

    await a.cache.invalidateTag('m');
    await until(async () => (await b.cache.getOrSet('metrics', 'b-monthly', load)) === 2);
    expect(await b.cache.getOrSet('metrics', 'b-hourly', load)).toBe(1);

    await a.cache.set('metrics', 'b-hourly', 3);
    await until(async () => (await b.cache.getOrSet('metrics', 'b-hourly', load)) === 3);
    await busA.close();
    await busB.close();
    redisA.disconnect();
    redisB.disconnect();
  });

  it('a bus resync clears the memory L1', async () => {
    class ResyncBus extends LocalMessageBus {
      readonly listeners = new Set<() => void>();
      override onResync(listener: () => void) {
        this.listeners.add(listener);
        return () => this.listeners.delete(listener);
      }
    }
    const bus = new ResyncBus();
    const web = world.stack('web', { bus });
    await web.cache.getOrSet('orders', 'resync', () => 'old');
    await world.redis.del(...(await cacheKeys('cache:web:orders:resync'))); // changed behind our back
    expect(await web.cache.getOrSet('orders', 'resync', () => 'new')).toBe('old'); // L1
    for (const listener of bus.listeners) listener();
    expect(await web.cache.getOrSet('orders', 'resync', () => 'new')).toBe('new');
  });
});

async function until(check: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('condition not met within 2 s');
}
