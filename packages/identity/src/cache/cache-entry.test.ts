import { describe, expect, it } from 'vitest';
import { decodeEntry, encodeEntry, isTag } from './cache-entry.ts';

describe('cache entries', () => {
  it('round-trip values the codec supports, with lifetimes and tags', () => {
    const entry = {
      value: { at: new Date(0), ids: new Set([1n]), text: 'a|b' },
      freshUntil: 10,
      staleUntil: 20,
      tags: ['user:1', 'rates'],
    };
    expect(decodeEntry(encodeEntry(entry), 'k')).toEqual(entry);
    expect(decodeEntry(encodeEntry({ ...entry, tags: [] }), 'k').tags).toEqual([]);
  });

  it('a corrupt entry is HS_CORRUPT_VALUE naming the key, never an empty value', () => {
    expect(() => decodeEntry('10|20||{not json', '{hs:1}:cache:web:rates:x')).toThrow(
      expect.objectContaining({ code: 'HS_CORRUPT_VALUE' }),
    );
    expect(() => decodeEntry('garbage', '{hs:1}:cache:web:rates:x')).toThrow(
      expect.objectContaining({ code: 'HS_CORRUPT_VALUE' }),
    );
  });

  it('accept only tags that cannot break the entry format', () => {
    expect(isTag('user:42')).toBe(true);
    for (const bad of ['', 'a,b', 'a|b', 'a b', 'x'.repeat(129), 7]) expect(isTag(bad)).toBe(false);
  });
});
