import { describe, expect, it } from 'vitest';
import { decodeKeyPart, encodeKeyPart, MAX_KEY_PART_BYTES } from './key-part.ts';
import { Keyspace, shardOf } from './keyspace.ts';

describe('key parts', () => {
  it.each(['a:b', '*', '{', '}', 'line\nbreak', '%', 'a b', 'ключ', '?[x]', '\\'])(
    'escapes %j so it stays one segment and decodes back',
    (raw) => {
      const encoded = encodeKeyPart(raw, 'p');
      expect(encoded).toMatch(/^[A-Za-z0-9_.%-]+$/);
      expect(decodeKeyPart(encoded)).toBe(raw);
    },
  );

  it('is injective: different parts never share an encoding', () => {
    const parts = ['a:b', 'a%3Ab', 'a%253Ab', 'A:B', 'a:b '];
    expect(new Set(parts.map((p) => encodeKeyPart(p, 'p'))).size).toBe(parts.length);
  });

  it.each([
    ['an empty string', ''],
    ['a 10 kB string', 'x'.repeat(10_000)],
    ['a fraction', 1.5],
    ['a lone surrogate', '\uD800'],
    ['null', null],
    ['an object', {}],
  ])('refuses %s with HS_KEY_INVALID', (_, part) => {
    expect(() => encodeKeyPart(part as never, 'userId')).toThrowError(
      expect.objectContaining({ code: 'HS_KEY_INVALID' }),
    );
  });

  it('accepts numbers and bigints', () => {
    expect(encodeKeyPart(42, 'p')).toBe('42');
    expect(encodeKeyPart(-9007199254740993n, 'p')).toBe('-9007199254740993');
    expect(encodeKeyPart('x'.repeat(MAX_KEY_PART_BYTES), 'p')).toHaveLength(MAX_KEY_PART_BYTES);
  });
});

describe('Keyspace', () => {
  it('builds hash-tagged Redis keys and PostgreSQL namespaces from a template', () => {
    const keyspace = new Keyspace({ prefix: 'bot', shards: 8 });
    const phone = keyspace.family({
      name: 'user_phone',
      key: 'user_data:{userId}:phone',
      durability: 'durable',
    });
    const ref = phone.key({ userId: 42 });
    expect(ref.key).toBe('user_data:42:phone');
    expect(ref.redisKey).toBe(`{bot:${ref.shard}}:user_data:42:phone`);
    expect(ref.shard).toBe(shardOf('user_data:42:phone', 8));
    expect(phone.namespace).toBe('bot:user_phone');
    expect(phone.paramsOf(phone.key({ userId: 'a:b' }).key)).toEqual({ userId: 'a:b' });
  });

  it('spreads keys over every shard', () => {
    const keyspace = new Keyspace({ shards: 16 });
    const users = keyspace.family({ name: 'user', key: 'user:{id}', durability: 'durable' });
    const shards = new Set(Array.from({ length: 1000 }, (_, id) => users.key({ id }).shard));
    expect(shards.size).toBe(16);
  });

  it('refuses overlapping templates, duplicate names and bad segments', () => {
    const keyspace = new Keyspace();
    keyspace.family({ name: 'a', key: 'user:{id}', durability: 'durable' });
    expect(() =>
      keyspace.family({ name: 'b', key: '{x}:{y}', durability: 'durable' }),
    ).toThrowError(/can produce the same keys/);
    expect(() =>
      keyspace.family({ name: 'a', key: 'other:{id}', durability: 'durable' }),
    ).toThrowError(/declared twice/);
    expect(() =>
      keyspace.family({ name: 'c', key: 'user:x{id}', durability: 'durable' }),
    ).toThrowError(/neither fixed text/);
    expect(() =>
      keyspace.family({ name: 'd', key: 'pair:{id}:{id}', durability: 'durable' }),
    ).toThrowError(/repeats a parameter/);
    expect(keyspace.family({ name: 'e', key: 'user:{id}:meta', durability: 'durable' }).name).toBe(
      'e',
    );
  });

  it('requires a TTL for ephemeral families and checks every TTL', () => {
    const keyspace = new Keyspace();
    expect(() =>
      keyspace.family({ name: 'scene', key: 'scene:{id}', durability: 'ephemeral' }),
    ).toThrowError(expect.objectContaining({ code: 'HS_TTL_INVALID' }));
    expect(() =>
      keyspace.family({ name: 'x', key: 'x:{id}', durability: 'durable', ttlMs: -1 }),
    ).toThrowError(expect.objectContaining({ code: 'HS_TTL_INVALID' }));
    expect(() =>
      keyspace.family({ name: 'y', key: 'y:{id}', durability: 'durable', ttlMs: 1.5 }),
    ).toThrowError(expect.objectContaining({ code: 'HS_TTL_INVALID' }));
  });

  it('gives durable families a bounded Redis copy even without a lifetime', () => {
    const keyspace = new Keyspace();
    expect(keyspace.family({ name: 'a', key: 'a:{id}', durability: 'durable' }).cacheTtlMs).toBe(
      3_600_000,
    );
    expect(
      keyspace.family({ name: 'b', key: 'b:{id}', durability: 'durable', ttlMs: 5000 }).cacheTtlMs,
    ).toBe(5000);
  });

  it('reports a missing parameter and an unknown family', () => {
    const keyspace = new Keyspace();
    const users = keyspace.family({ name: 'user', key: 'user:{id}', durability: 'durable' });
    expect(() => users.key({} as never)).toThrowError(/Key parameter "id" is missing/);
    expect(() => keyspace.get('nope')).toThrowError(
      expect.objectContaining({ code: 'HS_KEY_INVALID' }),
    );
  });

  it('refuses a rendered key longer than PostgreSQL can index', () => {
    const keyspace = new Keyspace();
    const pair = keyspace.family({ name: 'pair', key: 'pair:{a}:{b}:{c}', durability: 'durable' });
    const part = 'x'.repeat(400);
    expect(() => pair.key({ a: part, b: part, c: part })).toThrowError(
      expect.objectContaining({ code: 'HS_KEY_INVALID' }),
    );
  });

  it('matches SCAN results to the family exactly', () => {
    const keyspace = new Keyspace({ prefix: 'p' });
    const user = keyspace.family({ name: 'user', key: 'user:{id}', durability: 'durable' });
    keyspace.family({ name: 'user_meta', key: 'user:{id}:meta', durability: 'durable' });
    expect(user.redisPattern()).toBe('{p:*}:user:*');
    expect(user.ownsRedisKey('{p:3}:user:42')).toBe(true);
    expect(user.ownsRedisKey('{p:3}:user:42:meta')).toBe(false);
    expect(user.ownsRedisKey('{q:3}:user:42')).toBe(false);
  });
});
