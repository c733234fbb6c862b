import { describe, expect, it } from 'vitest';
import { contextOf, DEFAULT_CONTEXTS, resolveContexts } from './app-context.ts';

describe('application contexts', () => {
  it('come with web, admin and telegram and the seed 001 cache TTLs', () => {
    const contexts = resolveContexts();
    expect([...contexts.keys()]).toEqual(['web', 'admin', 'telegram']);
    expect(contexts.get('telegram')?.schema).toBe('bot');
    expect(contexts.get('web')?.caches.map((c) => [c.name, c.ttlMs])).toEqual([
      ['rates', 300_000],
      ['orders', 1_800_000],
    ]);
  });

  it('are extensible by configuration', () => {
    const contexts = resolveContexts([
      ...DEFAULT_CONTEXTS,
      {
        name: 'partner',
        schema: 'partner',
        caches: [{ name: 'quotes', ttlMs: 1000, graceMs: 5000 }],
      },
    ]);
    expect(contextOf(contexts, 'partner').caches[0]?.graceMs).toBe(5000);
  });

  it.each([
    [[{ name: 'Web', schema: 'w', caches: [] }], /context name "Web"/],
    [[{ name: 'web', schema: 'a b', caches: [] }], /schema "a b"/],
    [
      [
        { name: 'web', schema: 'web', caches: [] },
        { name: 'web', schema: 'web2', caches: [] },
      ],
      /declared twice/,
    ],
    [
      [
        { name: 'a', schema: 's', caches: [] },
        { name: 'b', schema: 's', caches: [] },
      ],
      /share schema "s"/,
    ],
    [[{ name: 'web', schema: 'web', caches: [{ name: 'r', ttlMs: 0 }] }], /ttlMs of cache "web.r"/],
    [[{ name: 'web', schema: 'web', caches: [{ name: 'r', ttlMs: 1, graceMs: -1 }] }], /graceMs/],
    [[], /at least one/],
  ])('refuse a bad definition with HS_CONTEXT_INVALID (%#)', (definitions, message) => {
    expect(() => resolveContexts(definitions)).toThrow(message);
    try {
      resolveContexts(definitions);
    } catch (error) {
      expect(error).toMatchObject({ code: 'HS_CONTEXT_INVALID' });
    }
  });

  it('name the configured contexts when an unknown one is asked for', () => {
    expect(() => contextOf(resolveContexts(), 'partner')).toThrow(
      /"partner" is not configured; configured: web, admin, telegram/,
    );
  });
});
