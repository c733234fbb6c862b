import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GoblinHarness, goblinHarness, photo } from './goblin-harness.ts';

/**
 * Seed 000's invariants broken on purpose: each gets a clear reply and writes nothing (the
 * handler throws, so no session and no row is written; the tables and sessions are compared
 * before and after).
 */
describe('bad input: a clear reply, nothing written', () => {
  let h: GoblinHarness;
  const group = -100_4242;
  let snapshot: () => Promise<unknown>;

  beforeAll(async () => {
    h = await goblinHarness();
    await h.rows(
      `INSERT INTO $s."kickstarters" (id, name, creator, cost, link) VALUES (7, 'Dragon', 'Forge', 500, 'https://ks.example/dragon')`,
    );
    snapshot = async () => ({
      tables: await Promise.all(
        [
          'users',
          'userPurchases',
          'userRoles',
          'userGroups',
          'userKickstarters',
          'months',
          'settings',
        ].map((t) => h.rows(`SELECT * FROM $s."${t}" ORDER BY 1`)),
      ),
      lotIndex: await h.lotIndex(),
      lots: await Promise.all(((await h.lotIndex())?.ids ?? []).map((id) => h.lot(id))),
      global: await h.session('globalSession'),
    });
  });
  afterAll(async () => h?.cleanup());

  async function expectNothingWritten(run: () => Promise<string[]>, reply: string | RegExp) {
    const before = await snapshot();
    const replies = await run();
    expect(replies).toHaveLength(1);
    if (typeof reply === 'string') expect(replies[0]).toBe(reply);
    else expect(replies[0]).toMatch(reply);
    expect(await snapshot()).toEqual(before);
  }

  it('a purchase that would make the balance negative', async () => {
    const user = h.newUserId();
    await h.say(user, '/start');
    await h.say(h.owner, `/topup ${user} 40`);
    await expectNothingWritten(
      () => h.say(user, '/buy 7'),
      'Dragon costs 500 scrolls; you have 40. Nothing was bought.',
    );
    // The database refuses it too, whoever writes: balance >= 0 is a constraint.
    await expect(
      h.rows(`UPDATE $s."userPurchases" SET balance = balance - 500 WHERE "userId" = $1`, [user]),
    ).rejects.toThrow(/balanceNotNegative/);
  });

  it('currency GBP', async () => {
    const user = h.newUserId();
    await h.say(user, '/newlot', group);
    await h.send(photo(user, 'p1', group));
    await expectNothingWritten(
      () => h.say(user, '/lotsave 10 GBP https://shop.example/x Bob Goblin King', group),
      'The lot was not created: the currency must be one of USD, EUR, RUB, got GBP.',
    );
    // The draft is kept, so the user can fix the command.
    expect(await h.session('scene', { chatId: group, userId: user })).toEqual({
      lot: { photos: ['p1'] },
    });
  });

  it('11 photos', async () => {
    const user = h.newUserId();
    await h.say(user, '/newlot', group);
    for (let i = 1; i <= 10; i++) await h.send(photo(user, `photo${i}`, group));
    const scene = await h.session('scene', { chatId: group, userId: user });
    expect(scene).toEqual({
      lot: { photos: Array.from({ length: 10 }, (_, i) => `photo${i + 1}`) },
    });
    await expectNothingWritten(
      () => h.send(photo(user, 'photo11', group)),
      /^A lot has at most 10 photos: this one was not added/,
    );
    expect(await h.session('scene', { chatId: group, userId: user })).toEqual(scene);
    // A lot's key refuses an 11-photo lot whoever writes it (its schema checks every write).
    await expect(
      h.stack.store.set(h.lots.lot.key({ lotId: '1' }), {
        photos: Array.from({ length: 11 }, (_, i) => `p${i}`),
        price: 1,
        currency: 'USD',
        link: 'https://x.example',
        participants: [],
      } as never),
    ).rejects.toThrow(/1 to 10 photos/);
  });

  it('period 2024-13', async () => {
    await expectNothingWritten(
      () => h.say(h.owner, '/period 2024-13'),
      '"2024-13" is not a month: write it as YYYY_MM with a month from 01 to 12, e.g. 2024_05.',
    );
    await expect(
      h.rows(`INSERT INTO $s."months" (period, type, "chatId") VALUES ('2024_13', 'regular', -1)`),
    ).rejects.toThrow(/period/);
  });

  it('a lot joined twice', async () => {
    const [author, buyer] = [h.newUserId(), h.newUserId()];
    await h.say(author, '/newlot', group);
    await h.send(photo(author, 'p1', group));
    const [created] = await h.say(author, '/lotsave 5 USD https://shop.example/y Ann Squig', group);
    const id = /#(\d+)/.exec(created!)![1];
    expect(await h.say(buyer, `/lotjoin ${id}`, group)).toEqual([`You joined lot #${id} (1 in).`]);
    await expectNothingWritten(
      () => h.say(buyer, `/lotjoin ${id}`, group),
      `You are already in lot #${id}.`,
    );
  });

  it('a price setting that is not a number', async () => {
    const user = h.newUserId();
    await h.say(h.owner, '/period 2034_02');
    await h.say(h.owner, '/month plus -1003402000001 https://t.me/+p3402');
    await h.rows(`INSERT INTO $s."settings" VALUES ('pricePlus', 'five')`);
    await h.say(user, '/start');
    await h.say(h.owner, `/topup ${user} 50`);
    await expectNothingWritten(
      () => h.say(user, '/join plus'),
      `The plus group's price setting is "five", not a whole number of scrolls: ask an admin to fix it. Nothing was charged.`,
    );
  });
});
