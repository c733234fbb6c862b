import { RedisMessageBus } from '@hybridstate/core';
import type { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { testRedis, uniqueId } from '../../../test-support/index.ts';
import { type EventMeta, type SyncEvent, SyncService } from '../src/index.ts';
import { waitFor } from './support/gateway-fixture.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Two instances (own connections, own buses) on the shared Redis, isolated by a channel prefix. */
async function twoInstances(): Promise<[SyncService, SyncService]> {
  const channelPrefix = `${uniqueId()}:`;
  const instances = await Promise.all(
    [0, 1].map(async () => {
      const redis: Redis = await testRedis();
      const bus = new RedisMessageBus(redis, { channelPrefix });
      const sync = new SyncService({ bus });
      cleanups.push(async () => {
        await sync.close();
        await bus.close();
        redis.disconnect();
      });
      await waitFor(() => bus.connected);
      return { sync, bus };
    }),
  );
  await Promise.all(instances.map(({ bus }) => bus.settled()));
  return [instances[0]!.sync, instances[1]!.sync];
}

describe('SyncService on RedisMessageBus', () => {
  it('delivers each event once per instance, telling handlers whether it was local', async () => {
    const [a, b] = await twoInstances();
    const atA: [string, boolean][] = [];
    const atB: [string, boolean][] = [];
    a.on('*', (e: SyncEvent, meta: EventMeta) => atA.push([e.type, meta.local]));
    b.on('users.*', (e: SyncEvent, meta: EventMeta) => atB.push([e.type, meta.local]));
    await a.publish('users.created', { userId: 1 });
    await b.publish('users.updated', { userId: 1 });
    await a.publish('tasks.created', { id: 1 });
    await waitFor(() => atA.length === 3 && atB.length === 2);
    expect(atA.sort()).toEqual([
      ['tasks.created', true],
      ['users.created', true],
      ['users.updated', false],
    ]);
    // Local first: B's own event reaches B before A's crosses Redis; no order across instances.
    expect(atB.sort()).toEqual([
      ['users.created', false],
      ['users.updated', true],
    ]);
  });

  it('invalidateCache on one instance drops the matching keys on the other', async () => {
    const [a, b] = await twoInstances();
    for (const sync of [a, b]) {
      sync.setCache('buttons:main_keyboard', ['Go']);
      sync.setCache('scenarios:1', { id: 1 });
    }
    expect(await a.invalidateCache('buttons')).toBe(1);
    await waitFor(() => b.getCache('buttons:main_keyboard') === undefined);
    expect(b.getCache('scenarios:1')).toEqual({ id: 1 });
    expect(a.getCache('buttons:main_keyboard')).toBeUndefined();
  });
});
