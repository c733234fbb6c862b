import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Family, KeyRef } from '../keyspace/family.ts';
import type { Keyspace } from '../keyspace/keyspace.ts';
import type { CacheTier, Tier, TierWrite } from '../tiers/tier.ts';

/** What a tier implementation hands the contract suite. */
export interface TierContractSetup {
  readonly tier: Tier;
  /** A keyspace with a prefix of its own: the suite declares its families in it. */
  readonly keyspace: Keyspace;
  cleanup?(): Promise<void>;
}

const MINUTE = 60_000;

/**
 * The behaviour every {@link Tier} must have, as one vitest suite. Run it unchanged against
 * each implementation:
 *
 * @example
 * ```ts
 * registerTierContract('redis', async () => ({ tier: new RedisTier(redis), keyspace }));
 * ```
 */
export function registerTierContract(name: string, setup: () => Promise<TierContractSetup>): void {
  describe(`Tier contract: ${name}`, () => {
    let tier: Tier;
    let items: Family<'items:{id}'>;
    let meta: Family<'items:{id}:meta'>;
    let done: TierContractSetup;
    const key = (id: string = randomUUID()): KeyRef => items.key({ id });
    const put = (ref: KeyRef, value: string | null, extra: Partial<TierWrite> = {}): TierWrite => ({
      ref,
      value,
      expiresAt: null,
      ttlMs: MINUTE,
      ...extra,
    });

    beforeAll(async () => {
      done = await setup();
      tier = done.tier;
      items = done.keyspace.family({ name: 'items', key: 'items:{id}', durability: 'durable' });
      meta = done.keyspace.family({
        name: 'items_meta',
        key: 'items:{id}:meta',
        durability: 'durable',
      });
    });
    afterAll(async () => done?.cleanup?.());

    it('reads null for a key never written', async () => {
      expect(await tier.read([key()])).toEqual([null]);
    });

    it('assigns a version on write and returns the entry on read', async () => {
      const ref = key();
      const [outcome] = await tier.write([put(ref, '{"a":1}', { expiresAt: Date.now() + MINUTE })]);
      expect(outcome?.applied).toBe(true);
      expect(outcome?.version).toBeGreaterThan(1e15); // microseconds since the epoch
      const [entry] = await tier.read([ref]);
      expect(entry?.version).toBe(outcome?.version);
      expect(JSON.parse(entry!.value)).toEqual({ a: 1 });
      expect(entry?.expiresAt).toBeGreaterThan(Date.now());
    });

    it('assigns strictly increasing versions to successive writes of one key', async () => {
      const ref = key();
      const versions: number[] = [];
      for (let i = 0; i < 5; i++)
        versions.push((await tier.write([put(ref, String(i))]))[0]!.version);
      expect([...versions].sort((a, b) => a - b)).toEqual(versions);
      expect(new Set(versions).size).toBe(5);
    });

    it('refuses a guarded write that is not newer, and keeps the stored value', async () => {
      const ref = key();
      const [first] = await tier.write([put(ref, '"new"')]);
      const [older] = await tier.write([put(ref, '"old"', { version: first!.version - 1 })]);
      const [same] = await tier.write([put(ref, '"same"', { version: first!.version })]);
      expect(older?.applied).toBe(false);
      expect(same?.applied).toBe(false);
      expect((await tier.read([ref]))[0]?.value).toBe('"new"');
      const [newer] = await tier.write([put(ref, '"newer"', { version: first!.version + 10 })]);
      expect(newer).toEqual({ applied: true, version: first!.version + 10 });
      expect((await tier.read([ref]))[0]?.value).toBe('"newer"');
    });

    it('keeps a tombstone: a deleted key reads null and an older write cannot bring it back', async () => {
      const ref = key();
      const [written] = await tier.write([put(ref, '1')]);
      const [deleted] = await tier.write([put(ref, null)]);
      expect(deleted!.version).toBeGreaterThan(written!.version);
      expect(await tier.read([ref])).toEqual([null]);
      const [late] = await tier.write([put(ref, '"late"', { version: written!.version + 1 })]);
      expect(late?.applied).toBe(deleted!.version < written!.version + 1);
      expect(await tier.read([ref])).toEqual([null]);
      const [again] = await tier.write([put(ref, '2')]);
      expect(again!.version).toBeGreaterThan(deleted!.version);
      expect((await tier.read([ref]))[0]?.value).toBe('2');
    });

    it('compare-and-set: expects absence, then an exact version', async () => {
      const ref = key();
      const created = await tier.compareAndSet(put(ref, '1'), null);
      expect(created.applied).toBe(true);
      expect((await tier.compareAndSet(put(ref, '9'), null)).applied).toBe(false);
      expect((await tier.compareAndSet(put(ref, '9'), created.version - 1)).applied).toBe(false);
      const next = await tier.compareAndSet(put(ref, '2'), created.version);
      expect(next.applied).toBe(true);
      expect(next.version).toBeGreaterThan(created.version);
      expect((await tier.read([ref]))[0]).toMatchObject({ value: '2', version: next.version });
    });

    it('compare-and-sets issued together: each applies or not on its own, the same key once', async () => {
      const refs = Array.from({ length: 40 }, () => key());
      const created = await Promise.all(refs.map((ref) => tier.compareAndSet(put(ref, '0'), null)));
      // Every fifth is offered a wrong version; key 0 is offered twice at the same version.
      const outcomes = await Promise.all([
        ...refs.map((ref, i) =>
          tier.compareAndSet(put(ref, `${i + 1}`), created[i]!.version - (i % 5 === 4 ? 1 : 0)),
        ),
        tier.compareAndSet(put(refs[0]!, '"twice"'), created[0]!.version),
      ]);
      const values = (await tier.read(refs)).map((entry) => entry?.value);
      refs.forEach((_, i) => {
        if (i === 0) return;
        const applied = i % 5 !== 4;
        expect(outcomes[i]!.applied).toBe(applied);
        if (applied) expect(outcomes[i]!.version).toBeGreaterThan(created[i]!.version);
        expect(values[i]).toBe(applied ? `${i + 1}` : '0');
      });
      // Of the two offers for key 0, either may come first: exactly one applied, and it is the stored value.
      expect(outcomes[0]!.applied).not.toBe(outcomes[40]!.applied);
      expect(values[0]).toBe(outcomes[0]!.applied ? '1' : '"twice"');
    });

    it('compare-and-set on a missing key with a version fails and writes nothing', async () => {
      const ref = key();
      expect((await tier.compareAndSet(put(ref, '1'), 12345)).applied).toBe(false);
      expect(await tier.read([ref])).toEqual([null]);
    });

    it('compare-and-set expecting absence succeeds over a tombstone', async () => {
      const ref = key();
      await tier.write([put(ref, '1')]);
      await tier.write([put(ref, null)]);
      expect((await tier.compareAndSet(put(ref, '3'), null)).applied).toBe(true);
      expect((await tier.read([ref]))[0]?.value).toBe('3');
    });

    it('expires entries at the end of their lifetime', async () => {
      const ref = key();
      await tier.write([put(ref, '1', { ttlMs: 150, expiresAt: Date.now() + 150 })]);
      expect((await tier.read([ref]))[0]?.value).toBe('1');
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(await tier.read([ref])).toEqual([null]);
      expect((await tier.compareAndSet(put(ref, '2'), null)).applied).toBe(true);
    });

    it('reads and writes batches in order, mixing present and absent keys', async () => {
      const refs = [key(), key(), key(), key()];
      const outcomes = await tier.write([put(refs[0]!, '0'), put(refs[2]!, '2')]);
      expect(outcomes.map((o) => o.applied)).toEqual([true, true]);
      const entries = await tier.read(refs);
      expect(entries.map((e) => e?.value ?? null)).toEqual(['0', null, '2', null]);
    });

    it('keeps the last of several writes to one key in one batch', async () => {
      const ref = key();
      await tier.write([put(ref, '1'), put(ref, '2'), put(ref, '3')]);
      expect((await tier.read([ref]))[0]?.value).toBe('3');
    });

    it('never lets hostile key parts reach another key or family', async () => {
      const hostile = ['a:b', '*', '{x}', 'line\nbreak', '%3A', 'a'.repeat(400), 'ключ', ' '];
      const refs = hostile.map((id) => items.key({ id }));
      expect(new Set(refs.map((r) => r.redisKey)).size).toBe(hostile.length);
      await tier.write(refs.map((ref, i) => put(ref, String(i))));
      expect((await tier.read(refs)).map((e) => e?.value)).toEqual(
        hostile.map((_, i) => String(i)),
      );
      expect(await tier.read([items.key({ id: 'a' }), meta.key({ id: 'a' })])).toEqual([
        null,
        null,
      ]);
    });

    it('lists the live keys of exactly one family, across pages', async () => {
      const ids = Array.from({ length: 1203 }, (_, i) => `scan-${i}`);
      await tier.write(ids.map((id) => put(items.key({ id }), '1')));
      await tier.write([
        put(meta.key({ id: 'scan-0' }), '1'),
        put(items.key({ id: 'scan-0' }), null),
      ]);
      const seen = new Set<string>();
      for await (const page of tier.scan(items, 200)) for (const ref of page) seen.add(ref.key);
      const scanned = [...seen].filter((k) => k.startsWith('items:scan-'));
      expect(scanned.length).toBe(1202);
      expect(seen.has('items:scan-0')).toBe(false);
      expect([...seen].every((k) => items.ownsKey(k))).toBe(true);
    });

    it('answers ping with a latency', async () => {
      expect(await tier.ping()).toBeGreaterThanOrEqual(0);
    });

    if (name.startsWith('memory') || name.startsWith('redis')) {
      it('session locks: one holder per key, released by the holder only, renewable, expiring', async () => {
        const cache = tier as CacheTier;
        const [a, b, c] = [key(), key(), key()];
        expect(await cache.tryLock([a, b], 't1', 5000)).toEqual([true, true]);
        expect(await cache.tryLock([a], 't2', 5000)).toEqual([false]);
        await cache.unlock([a], 't2');
        expect(await cache.tryLock([a], 't3', 5000)).toEqual([false]);
        expect(await cache.renewLocks([b], 't1', 5000)).toBe(1);
        await cache.unlock([a, b], 't1');
        expect(await cache.tryLock([a, b], 't4', 5000)).toEqual([true, true]);
        expect(await cache.tryLock([c], 't1', 100)).toEqual([true]);
        await new Promise((resolve) => setTimeout(resolve, 250));
        expect(await cache.tryLock([c], 't2', 5000)).toEqual([true]);
      });

      it('renews and releases hundreds of locks at once, only those of the token', async () => {
        const cache = tier as CacheTier;
        const mine = Array.from({ length: 300 }, () => key());
        const theirs = Array.from({ length: 20 }, () => key());
        expect((await cache.tryLock(mine, 'many', 5000)).every(Boolean)).toBe(true);
        expect((await cache.tryLock(theirs, 'other', 5000)).every(Boolean)).toBe(true);
        expect(await cache.renewLocks([...mine, ...theirs], 'many', 5000)).toBe(300);
        await cache.unlock([...mine, ...theirs], 'many');
        expect((await cache.tryLock(mine, 'next', 5000)).every(Boolean)).toBe(true);
        expect((await cache.tryLock(theirs, 'next', 5000)).some(Boolean)).toBe(false);
      });

      it('a write can release its lock in the same step, and is refused when fenced off', async () => {
        const cache = tier as CacheTier;
        const [a, b] = [key(), key()];
        await cache.tryLock([a], 'mine', 5000);
        const [written] = await cache.write([put(a, '"new"')], {
          unlockToken: 'mine',
          fence: true,
        });
        expect(written?.applied).toBe(true);
        expect(await cache.tryLock([a], 'next', 5000)).toEqual([true]);
        await cache.tryLock([b], 'old', 100);
        await new Promise((resolve) => setTimeout(resolve, 250));
        await cache.tryLock([b], 'new', 5000);
        const [fenced] = await cache.write([put(b, '"late"')], { unlockToken: 'old', fence: true });
        expect(fenced).toEqual({ applied: false, version: -1 });
        expect(await cache.read([b])).toEqual([null]);
        expect(await cache.tryLock([b], 'third', 5000)).toEqual([false]);
      });

      it('a kept lock outlives its writes until a contender asks for it (keepLeaseMs)', async () => {
        const cache = tier as CacheTier;
        const [a, b] = [key(), key()];
        await cache.tryLock([a, b], 'keeper', 5000);
        const kept = { unlockToken: 'keeper', fence: true, keepLeaseMs: 5000 };
        const [first] = await cache.write([put(a, '"1"')], kept);
        expect(first).toMatchObject({ applied: true, lock: 'kept' });
        expect(await cache.tryLock([a], 'other', 5000)).toEqual([false]); // and asks for it
        expect(await cache.checkKept([a, b], [true, true], 'keeper', 5000)).toEqual([
          { held: true, wanted: true },
          { held: true, wanted: false },
        ]);
        const [second] = await cache.write([put(a, '"2"')], kept);
        expect(second).toMatchObject({ applied: true, lock: 'given-up' });
        expect(await cache.tryLock([a], 'other', 5000)).toEqual([true]);
        const late = await cache.compareAndSet(put(a, '"3"'), second!.version, kept);
        expect(late).toEqual({ applied: false, version: -1, lock: 'not-held' });
        expect((await cache.read([a]))[0]?.value).toBe('"2"');
      });

      it('evicts only copies older than the given version', async () => {
        const cache = tier as CacheTier;
        const [a, b] = [key(), key()];
        const [va] = await cache.write([put(a, '"a"')]);
        const [vb] = await cache.write([put(b, '"b"')]);
        await cache.evictOlderThan([a, b], [va!.version + 1, vb!.version]);
        expect((await cache.read([a, b])).map((e) => e?.value ?? null)).toEqual([null, '"b"']);
      });
    }
  });
}
