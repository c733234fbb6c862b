import { describe, expect, it } from 'vitest';
import { Keyspace } from '../keyspace/keyspace.ts';
import { L1Cache } from './l1-cache.ts';

const keyspace = new Keyspace({ prefix: 'l1unit' });
const buttons = keyspace.family({
  name: 'buttons',
  key: 'buttons:{id}',
  durability: 'ephemeral',
  ttlMs: 60_000,
  l1: { ttlMs: 60_000 },
});
const entry = (value: string, version: number) => ({ value, version, expiresAt: null });

describe('L1Cache version floors', () => {
  it('refuses a copy older than a write another instance announced (a read still in flight)', () => {
    const l1 = new L1Cache();
    const ref = buttons.key({ id: '1' });
    l1.remember(ref, entry('"old"', 100));
    l1.forgetBelow(ref, 200);
    expect(l1.peek(ref)).toBeNull();
    l1.remember(ref, entry('"old"', 100)); // the slow read that started before the write
    expect(l1.peek(ref)).toBeNull();
    l1.remember(ref, entry('"new"', 200));
    expect(l1.peek(ref)?.value).toBe('"new"');
  });

  it('reports only changes of families with an L1, and clear() drops floors too', () => {
    const l1 = new L1Cache();
    const plain = keyspace.family({
      name: 'plain',
      key: 'plain:{id}',
      durability: 'ephemeral',
      ttlMs: 1000,
    });
    const heard: string[] = [];
    l1.onChanged((changes) => heard.push(...changes.map((c) => `${c.ref.key}@${c.version}`)));
    l1.changed([
      { ref: buttons.key({ id: '2' }), version: 5 },
      { ref: plain.key({ id: '2' }), version: 6 },
    ]);
    expect(heard).toEqual(['buttons:2@5']);
    const ref = buttons.key({ id: '3' });
    l1.forgetBelow(ref, 50);
    l1.clear();
    l1.remember(ref, entry('"x"', 10));
    expect(l1.peek(ref)?.value).toBe('"x"');
  });
});
