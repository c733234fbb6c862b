import { isHybridStateError, LocalMessageBus } from '@hybridstate/core';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { SyncEvent } from '../events/sync-event.ts';
import { syncEvents } from '../events/sync-events.ts';
import { SyncService } from './sync-service.ts';

const services: { close(): Promise<void> }[] = [];
function open<S extends { close(): Promise<void> }>(service: S): S {
  services.push(service);
  return service;
}
afterEach(async () => {
  for (const service of services.splice(0)) await service.close();
});

describe('SyncService in local-only mode', () => {
  it('publishes {type, data, id, ts} to exact, domain.* and * handlers', async () => {
    const sync = open(new SyncService());
    const seen: string[] = [];
    sync.on('buttons.updated', (e) => seen.push(`exact:${e.type}`));
    sync.on('buttons.*', (e) => seen.push(`domain:${e.type}`));
    sync.on('*', (e) => seen.push(`all:${e.type}`));
    sync.on('tasks.*', (e) => seen.push(`other:${e.type}`));
    const event = await sync.publish('buttons.updated', { id: 7 });
    expect(seen).toEqual([
      'exact:buttons.updated',
      'domain:buttons.updated',
      'all:buttons.updated',
    ]);
    expect(event).toMatchObject({ type: 'buttons.updated', data: { id: 7 } });
    expect(event.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Math.abs(event.ts - Date.now())).toBeLessThan(60_000);
  });

  it('off and once', async () => {
    const sync = open(new SyncService());
    const got: number[] = [];
    const handler = (e: SyncEvent) => got.push((e.data as { id: number }).id);
    sync.on('tasks.created', handler);
    sync.once('tasks.*', handler);
    await sync.publish('tasks.created', { id: 1 });
    sync.off('tasks.created', handler);
    await sync.publish('tasks.created', { id: 2 });
    expect(got).toEqual([1, 1]);
  });

  it('a failing handler does not stop the others', async () => {
    const sync = open(new SyncService());
    const got: string[] = [];
    sync.on('*', () => {
      throw new Error('bug');
    });
    sync.on('*', async () => {
      throw new Error('async bug');
    });
    sync.on('*', (e) => got.push(e.type));
    await sync.publish('settings.updated', { key: 'x' });
    expect(got).toEqual(['settings.updated']);
  });

  it('refuses unknown events, bad payloads, oversized events and bad patterns', async () => {
    const sync = open(new SyncService({ maxEventBytes: 1000 }));
    const codes: string[] = [];
    const attempts: (() => unknown)[] = [
      () => sync.publish('orders.created' as never, { id: 1 } as never),
      () => sync.publish('payouts.approved', { id: 1 } as never),
      () => sync.publish('buttons.updated', { id: 1, label: 'x'.repeat(2000) }),
      () => sync.on('users.**', () => undefined),
    ];
    for (const attempt of attempts) {
      try {
        await attempt();
      } catch (error) {
        if (isHybridStateError(error)) codes.push(error.code);
      }
    }
    expect(codes).toEqual([
      'HS_SYNC_UNKNOWN_EVENT',
      'HS_SYNC_INVALID_PAYLOAD',
      'HS_SYNC_EVENT_TOO_LARGE',
      'HS_SYNC_INVALID_PATTERN',
    ]);
  });

  it('publishes application events of an extended catalog', async () => {
    const catalog = syncEvents.extend({
      'orders.created': { schema: z.object({ id: z.string() }) },
    });
    const sync = open(new SyncService({ catalog }));
    const got: string[] = [];
    sync.on('orders.*', (e) => got.push(e.data.id));
    await sync.publish('orders.created', { id: 'o1' });
    expect(got).toEqual(['o1']);
  });

  it('is closed after close()', async () => {
    const sync = new SyncService();
    await sync.close();
    let code: unknown;
    try {
      await sync.publish('tasks.created', { id: 1 });
    } catch (error) {
      code = isHybridStateError(error) ? error.code : error;
    }
    expect(code).toBe('HS_SYNC_CLOSED');
  });
});

describe('the local cache', () => {
  it('keeps values for their TTL and invalidates them by prefix', async () => {
    const a = open(new SyncService({ bus: new LocalMessageBus() }));
    a.setCache('buttons:main_keyboard', ['Go']);
    a.setCache('buttons:other', 1);
    a.setCache('tasks:list', 2);
    a.setCache('short', 3, 1);
    expect(a.getCache('buttons:main_keyboard')).toEqual(['Go']);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(a.getCache('short')).toBeUndefined();
    expect(await a.invalidateCache('buttons')).toBe(2);
    expect([a.getCache('buttons:other'), a.getCache('tasks:list')]).toEqual([undefined, 2]);
  });
});
