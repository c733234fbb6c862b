import type { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type RedisServer,
  startRedisServer,
  testRedis,
  uniqueId,
} from '../../../test-support/index.ts';
import {
  createRedisClient,
  isHybridStateError,
  RedisMessageBus,
  type RedisMessageBusOptions,
} from '../src/index.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function openBus(url?: string, options: RedisMessageBusOptions = {}) {
  const redis: Redis = url === undefined ? await testRedis() : await createRedisClient(url);
  const bus = new RedisMessageBus(redis, options);
  cleanups.push(async () => {
    await bus.close();
    redis.disconnect();
  });
  await waitFor(() => bus.connected);
  return { bus, redis };
}

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('RedisMessageBus across instances', () => {
  it('delivers to other instances with the origin, and each instance hears itself once', async () => {
    const channelPrefix = `${uniqueId()}:`;
    const a = await openBus(undefined, { channelPrefix });
    const b = await openBus(undefined, { channelPrefix });
    const atA: [string, string][] = [];
    const atB: [string, string][] = [];
    a.bus.subscribe('news', (p, o) => atA.push([p, o]));
    b.bus.subscribe('news', (p, o) => atB.push([p, o]));
    await Promise.all([a.bus.settled(), b.bus.settled()]);
    await a.bus.publish('news', 'one');
    await waitFor(() => atB.length === 1);
    // Give a duplicate (the echo from Redis) the time to arrive, then check it did not.
    await b.bus.publish('news', 'two');
    await waitFor(() => atA.length === 2);
    expect(atA).toEqual([
      ['one', a.bus.instanceId],
      ['two', b.bus.instanceId],
    ]);
    expect(atB).toEqual([
      ['one', a.bus.instanceId],
      ['two', b.bus.instanceId],
    ]);
  });

  it('stops receiving from Redis when the last listener of a channel leaves', async () => {
    const channelPrefix = `${uniqueId()}:`;
    const a = await openBus(undefined, { channelPrefix });
    const b = await openBus(undefined, { channelPrefix });
    const got: string[] = [];
    const stop = b.bus.subscribe('c', (p) => got.push(p));
    await b.bus.settled();
    stop();
    await b.bus.settled();
    const numsub = (await a.redis.call('PUBSUB', 'NUMSUB', `${channelPrefix}c`)) as [
      string,
      number,
    ];
    expect(numsub[1]).toBe(0);
  });

  it('rejects bad options with HS_CONFIG_INVALID', async () => {
    const redis = await testRedis();
    cleanups.push(() => redis.disconnect());
    let caught: unknown;
    try {
      new RedisMessageBus(redis, { publishTimeoutMs: 0 });
    } catch (error) {
      caught = error;
    }
    expect(isHybridStateError(caught, 'HS_CONFIG_INVALID')).toBe(true);
  });
});

describe('RedisMessageBus while Redis goes away and returns', () => {
  let server: RedisServer;
  afterEach(async () => server?.stop());

  it('keeps local delivery, counts drops, resubscribes and resyncs after the restart', async () => {
    server = await startRedisServer();
    const a = await openBus(server.url);
    const b = await openBus(server.url);
    const atA: string[] = [];
    const atB: string[] = [];
    let resyncsB = 0;
    a.bus.subscribe('c', (p) => atA.push(p));
    b.bus.subscribe('c', (p) => atB.push(p));
    b.bus.onResync(() => resyncsB++);
    await Promise.all([a.bus.settled(), b.bus.settled()]);

    await server.stop();
    await waitFor(() => !a.bus.connected && !b.bus.connected);
    await a.bus.publish('c', 'while-down');
    expect(atA).toEqual(['while-down']);
    expect(a.bus.dropped).toBe(1);
    expect(resyncsB).toBe(0);

    await server.start();
    await waitFor(() => resyncsB === 1 && a.bus.connected, 15_000);
    await a.bus.settled();
    await a.bus.publish('c', 'after');
    await waitFor(() => atB.includes('after'));
    expect(atB).toEqual(['after']);
  });
});
