import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lot } from '../src/domain/lot.ts';
import { storeLegacyLots } from '../src/import/import-legacy-lots.ts';
import { KeyedLotBoard } from '../src/state/keyed-lot-board.ts';
import { LotJoins } from '../src/state/lot-joins.ts';
import { type GoblinHarness, goblinHarness, message, photo } from './goblin-harness.ts';

/** One key per lot: a join locks, checks and writes only its lot; the index only on creation. */
describe('lots, one key each', () => {
  let h: GoblinHarness;
  const group = -100_6060;

  beforeAll(async () => {
    h = await goblinHarness();
  });
  afterAll(async () => h?.cleanup());

  async function createLot(name: string): Promise<string> {
    await h.say(h.owner, '/newlot', group);
    await h.send(photo(h.owner, `p-${name}`, group));
    const [reply] = await h.say(
      h.owner,
      `/lotsave 3 USD https://shop.example/${name} Ann ${name}`,
      group,
    );
    return /#(\d+)/.exec(reply!)![1]!;
  }

  /** A key's stored version, read under its lock (released at once). */
  async function version(ref: Parameters<GoblinHarness['stack']['store']['lock']>[0][number]) {
    const held = await h.stack.store.lock([ref]);
    const v = held.version(ref);
    await held.release();
    return v;
  }

  it('a join of one lot goes through while another lot is locked, and writes neither the other lot nor the index', async () => {
    const [first, second] = [await createLot('first'), await createLot('second')];
    const firstRef = h.lots.lot.key({ lotId: first });
    const indexRef = h.lots.index.key({});
    const before = { first: await version(firstRef), index: await version(indexRef) };

    const held = await h.stack.store.lock([firstRef]);
    let firstJoined = false;
    const [a, b] = [h.newUserId(), h.newUserId()];
    const waiting = h.send(message(a, `/lotjoin ${first}`, group)).then((replies) => {
      firstJoined = true;
      return replies;
    });
    expect(await h.say(b, `/lotjoin ${second}`, group)).toEqual([
      `You joined lot #${second} (1 in).`,
    ]);
    expect(firstJoined).toBe(false); // still waiting for the first lot's lock
    expect(await version(indexRef)).toBe(before.index);
    await held.release();
    await waiting;
    expect((await h.lot(first))?.participants).toEqual([String(a)]);
    expect((await h.lot(second))?.participants).toEqual([String(b)]);
    expect(await version(firstRef)).toBeGreaterThan(before.first);
    expect(await version(indexRef)).toBe(before.index);
  });

  it('joins that wait for a busy lot each get their own answer; the refused one writes nothing', async () => {
    const id = await createLot('busy');
    const earlier = h.newUserId();
    await h.say(earlier, `/lotjoin ${id}`, group);
    const held = await h.stack.store.lock([h.lots.lot.key({ lotId: id })]);
    const users = Array.from({ length: 5 }, () => h.newUserId());
    const from = h.calls.length;
    const joins = Promise.all(
      [...users, earlier].map((user) => h.send(message(user, `/lotjoin ${id}`, group))),
    );
    await new Promise((resolve) => setImmediate(resolve));
    await held.release();
    await joins;
    const texts = h.calls.slice(from).map((c) => String(c.payload.text));
    expect(texts.filter((t) => t === `You are already in lot #${id}.`)).toHaveLength(1);
    const counts = texts.flatMap((t) => /^You joined .*\((\d+) in\)\.$/.exec(t)?.[1] ?? []);
    expect(counts.map(Number).sort()).toEqual([2, 3, 4, 5, 6]);
    const { participants } = (await h.lot(id))!;
    expect(new Set(participants)).toEqual(new Set([earlier, ...users].map(String)));
    expect(participants).toHaveLength(6);
  });

  it('an update that already holds a lot joins it in place, saved with its other changes', async () => {
    const id = await createLot('held');
    const store = h.stack.store;
    const board = new KeyedLotBoard(store, h.lots, new LotJoins(store, h.lots));
    const lot = await board.get(id);
    expect(await board.join(id, '42')).toBe(1);
    expect(lot?.participants).toEqual(['42']);
    expect((await h.lot(id))?.participants).toEqual([]); // not before the update ends
    await board.commit();
    expect((await h.lot(id))?.participants).toEqual(['42']);
  });

  it("the seed's lots land with a next id above every imported id, once", async () => {
    const other = await goblinHarness();
    try {
      const lot = (await h.lot(1)) as Lot;
      const stored = await storeLegacyLots(other.stack.store, other.lots, {
        list: { 2: lot, 7: { ...lot, opened: false } },
        nextId: 3, // the seed's counter can lag behind its ids
      });
      expect(stored).toEqual({ written: ['lot:2', 'lot:7', 'lot_index'] });
      expect(await other.lotIndex()).toEqual({ ids: ['2', '7'], nextId: 8 });
      expect(await storeLegacyLots(other.stack.store, other.lots, { list: {}, nextId: 1 })).toEqual(
        { skipped: 'lot_index already exists (imported before, or newer data)' },
      );
    } finally {
      await other.cleanup();
    }
  });
});
