import { describe, expect, it } from 'vitest';
import { Keyspace } from '../keyspace/keyspace.ts';
import { createTieredStore } from '../store/tiered-store.ts';
import { MemoryTier } from '../tiers/memory-tier.ts';
import type { CircuitChangeEvent, TierCallEvent, TierLookupEvent } from './store-observer.ts';
import { safeObserver } from './store-observer.ts';

describe('StoreObserver', () => {
  it('hears tier calls and lookups of an ephemeral family, per family', async () => {
    const keyspace = new Keyspace();
    const scenes = keyspace.family({
      name: 'scene',
      key: 'scene:{id}',
      durability: 'ephemeral',
      ttlMs: 60_000,
    });
    const calls: TierCallEvent[] = [];
    const lookups: TierLookupEvent[] = [];
    const store = await createTieredStore({
      keyspace,
      cache: new MemoryTier(),
      observer: { tierCall: (e) => calls.push(e), tierLookup: (e) => lookups.push(e) },
    });
    await store.set(scenes.key({ id: 1 }), 'a');
    await store.getMany([scenes.key({ id: 1 }), scenes.key({ id: 2 })]);
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.every((c) => c.tier === 'memory' && c.outcome === 'ok')).toBe(true);
    const total = (field: 'hits' | 'misses') => lookups.reduce((n, e) => n + e[field], 0);
    expect(lookups.every((e) => e.tier === 'memory' && e.family === 'scene')).toBe(true);
    expect([total('hits'), total('misses')]).toEqual([1, 1]);
    await store.close();
  });

  it('keeps a throwing observer away from the store', () => {
    const events: CircuitChangeEvent[] = [];
    const safe = safeObserver({
      tierCall: () => {
        throw new Error('metrics broke');
      },
      circuitChange: (e) => events.push(e),
    });
    expect(() => safe?.tierCall?.({ tier: 'redis', durationMs: 1, outcome: 'ok' })).not.toThrow();
    safe?.circuitChange?.({ tier: 'redis', state: 'open' });
    expect(events).toEqual([{ tier: 'redis', state: 'open' }]);
    expect(safe?.tierLookup).toBeUndefined();
  });
});
