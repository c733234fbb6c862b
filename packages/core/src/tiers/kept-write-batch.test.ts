import { describe, expect, it } from 'vitest';
import type { KeyRef } from '../keyspace/family.ts';
import { KeptWriteBatch, type WriteReply } from './kept-write-batch.ts';

/** A key of hash tag `tag` (the batch reads only its Redis name). */
const refOf = (tag: string, key = 'k') => ({ key, redisKey: `${tag}:${key}` }) as KeyRef;

/** The batching rules alone; the script itself is tested against Redis in test/kept-lease.test.ts. */
describe('KeptWriteBatch', () => {
  const reply = (i: number): WriteReply => [1, String(i), 0];
  const lones: string[][] = [];
  const lone = async (_kind: 'w' | 'j', keys: readonly string[]) => {
    lones.push([...keys]);
    return reply(-1);
  };

  it('sends a lone write of a tick through its own script', async () => {
    const batch = new KeptWriteBatch(
      async () => {
        throw new Error('not a batch');
      },
      lone,
      false,
    );
    lones.length = 0;
    expect(await batch.add(refOf('{t}'), 'w', ['k'], [])).toEqual({
      applied: true,
      version: -1,
      lock: 'kept',
    });
    expect(lones).toEqual([['k']]);
  });

  it('sends a full chunk at once and the rest at the end of the tick, each write getting its own reply', async () => {
    const calls: number[] = [];
    const batch = new KeptWriteBatch(
      async (_keys, writes) => {
        const parsed = JSON.parse(writes) as [string, number, string[]][];
        calls.push(parsed.length);
        return parsed.flatMap(([, , args]) => reply(Number(args[0])));
      },
      lone,
      false,
    );
    const replies = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        batch.add(refOf(`{t:${i % 4}}`), 'w', [`k${i}`], [String(i)]),
      ),
    );
    expect(calls).toEqual([16, 16, 8]);
    expect(replies.map((r) => r.version)).toEqual(Array.from({ length: 40 }, (_, i) => i));
  });

  it('groups by hash tag on a Cluster', async () => {
    const tags: string[][] = [];
    const batch = new KeptWriteBatch(
      async (keys) => {
        tags.push([...new Set(keys.map((k) => k.slice(0, k.indexOf('}') + 1)))]);
        return keys.flatMap((_, i) => reply(i));
      },
      lone,
      true,
    );
    await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        batch.add(refOf(`{t:${i % 2}}`), 'w', [`{t:${i % 2}}k${i}`], []),
      ),
    );
    expect(tags).toEqual([['{t:0}'], ['{t:1}']]);
  });

  it('rejects every write of a group that cannot be sent, at once and at the end of the tick', async () => {
    const batch = new KeptWriteBatch(
      () => {
        throw new RangeError('Invalid string length');
      },
      lone,
      false,
    );
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => batch.add(refOf('{t}'), 'w', [`k${i}`], [])),
    );
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
  });
});
