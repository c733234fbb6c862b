import { describe, expect, it } from 'vitest';
import { ReadCache } from './read-cache.ts';

describe('ReadCache', () => {
  it('serves a loaded value until it is dropped by prefix', async () => {
    const cache = new ReadCache();
    let loads = 0;
    const load = async () => ++loads;
    expect(await cache.get('user:1;', load)).toBe(1);
    expect(await cache.get('user:1;', load)).toBe(1);
    cache.drop('user:12;');
    expect(await cache.get('user:1;', load)).toBe(1);
    cache.drop('user:1;');
    expect(await cache.get('user:1;', load)).toBe(2);
  });

  it('does not store a value whose load started before a drop', async () => {
    const cache = new ReadCache();
    let release: (value: string) => void = () => undefined;
    const slow = cache.get('k', () => new Promise<string>((resolve) => (release = resolve)));
    cache.drop('k');
    release('stale');
    expect(await slow).toBe('stale');
    expect(await cache.get('k', async () => 'fresh')).toBe('fresh');
  });

  it('expires entries after ttlMs and keeps at most maxEntries', async () => {
    const cache = new ReadCache({ ttlMs: 1, maxEntries: 2 });
    await cache.get('a', async () => 1);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await cache.get('a', async () => 2)).toBe(2);
    const big = new ReadCache({ maxEntries: 2 });
    for (const key of ['a', 'b', 'c']) await big.get(key, async () => key);
    expect(await big.get('a', async () => 'reloaded')).toBe('reloaded');
    expect(await big.get('c', async () => 'reloaded')).toBe('c');
  });
});
