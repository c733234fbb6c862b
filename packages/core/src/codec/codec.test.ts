import { describe, expect, it } from 'vitest';
import { isHybridStateError } from '../errors.ts';
import { decodeValue, encodeValue } from './codec.ts';

const roundTrip = (value: unknown) => decodeValue(encodeValue(value), 'k');

describe('codec', () => {
  it('round-trips Date, BigInt, Map, Set and Buffer, nested', () => {
    const value = {
      at: new Date('2026-01-02T03:04:05.678Z'),
      big: 12345678901234567890n,
      map: new Map<unknown, unknown>([
        ['a', 1],
        [2, new Set([new Date(0)])],
      ]),
      set: new Set(['x', 1n]),
      bytes: Buffer.from([0, 1, 2, 255]),
      list: [1, 'two', null, { deep: [new Date(1)] }],
    };
    expect(roundTrip(value)).toEqual(value);
  });

  it('stores readable JSON', () => {
    expect(encodeValue({ at: new Date(0), n: 1n })).toBe(
      '{"at":{"$t":"Date","v":"1970-01-01T00:00:00.000Z"},"n":{"$t":"BigInt","v":"1"}}',
    );
    expect(JSON.parse(encodeValue({ name: 'Ann', tags: ['a'] }))).toEqual({
      name: 'Ann',
      tags: ['a'],
    });
  });

  it('keeps user objects that happen to have a "$t" key', () => {
    const value = { $t: 'Date', v: 'not a date', other: { $t: 1 } };
    expect(roundTrip(value)).toEqual(value);
  });

  it('round-trips Uint8Array as a Buffer with the same bytes', () => {
    const decoded = roundTrip(new Uint8Array([9, 8, 7]).subarray(1)) as Buffer;
    expect([...decoded]).toEqual([8, 7]);
  });

  it.each([
    ['a function', { f: () => 1 }],
    ['a symbol', { s: Symbol('x') }],
    ['NaN', { n: Number.NaN }],
    ['Infinity', [Number.POSITIVE_INFINITY]],
    ['an invalid Date', { d: new Date('nope') }],
    [
      'a class instance',
      {
        c: new (class Point {
          x = 1;
        })(),
      },
    ],
    ['undefined at the top', undefined],
  ])('refuses %s with HS_VALUE_NOT_SERIALIZABLE', (_, value) => {
    expect(() => encodeValue(value)).toThrowError(
      expect.objectContaining({ code: 'HS_VALUE_NOT_SERIALIZABLE' }),
    );
  });

  it('refuses cycles, naming where they are', () => {
    const a: Record<string, unknown> = { b: {} };
    (a.b as Record<string, unknown>).a = a;
    expect(() => encodeValue(a)).toThrowError(/circular reference \(the value at "b\.a"\)/);
  });

  it('keeps a "__proto__" key as data, never as a prototype', () => {
    const value = JSON.parse(
      '{"__proto__": {"admin": true}, "at": {"$t": "Date", "v": "2026-01-01T00:00:00.000Z"}}',
    );
    const decoded = decodeValue(encodeValue(value), 'k') as Record<string, unknown>;
    expect(Object.hasOwn(decoded, '__proto__')).toBe(true);
    expect((decoded as { admin?: unknown }).admin).toBeUndefined();
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
  });

  it('refuses a value nested too deeply with a typed error, not a RangeError', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(() => encodeValue(deep)).toThrowError(
      expect.objectContaining({ code: 'HS_VALUE_NOT_SERIALIZABLE' }),
    );
  });

  it('accepts shared (non-circular) references', () => {
    const shared = { x: 1 };
    expect(roundTrip({ a: shared, b: shared })).toEqual({ a: { x: 1 }, b: { x: 1 } });
  });

  it('drops undefined properties like JSON, and stores undefined array items as null', () => {
    expect(roundTrip({ a: undefined, b: [undefined] })).toEqual({ b: [null] });
  });

  it.each([
    ['not JSON', '{"a":'],
    ['a malformed Date tag', '{"$t":"Date","v":"yesterday"}'],
    ['an unknown tag', '{"$t":"Regex","v":"a+"}'],
    ['a malformed BigInt', '{"$t":"BigInt","v":"12x"}'],
    ['a malformed Map', '{"$t":"Map","v":[1,2]}'],
  ])('raises HS_CORRUPT_VALUE naming the key for %s, never {}', (_, text) => {
    try {
      decodeValue(text, '{hs:1}:user:42');
      expect.unreachable();
    } catch (error) {
      expect(isHybridStateError(error, 'HS_CORRUPT_VALUE')).toBe(true);
      expect((error as Error).message).toContain('{hs:1}:user:42');
    }
  });
});
