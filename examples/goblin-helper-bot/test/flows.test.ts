import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  channelPost,
  type GoblinHarness,
  goblinHarness,
  photo,
  pollAnswer,
} from './goblin-harness.ts';

describe('GoblinHelperBot flows on Telegraf, Redis and PostgreSQL', () => {
  let h: GoblinHarness;
  beforeAll(async () => {
    h = await goblinHarness();
    await h.rows(
      `INSERT INTO $s."kickstarters" (id, name, creator, cost, link) VALUES (0, 'Goblin Warband', 'Greenskin', 25, 'https://ks.example/warband')`,
    );
  });
  afterAll(async () => h?.cleanup());

  it('registers a user on first contact and shows the balance', async () => {
    const user = h.newUserId();
    expect(await h.say(user, '/balance')).toEqual([
      'Balance: 0 scrolls.\nScrolls spent: 0.\nGroups: none.\nKickstarters: 0.',
    ]);
    expect(await h.rows(`SELECT id::int, username FROM $s."users" WHERE id = $1`, [user])).toEqual([
      { id: user, username: `u${user}` },
    ]);
    expect(
      await h.rows(`SELECT balance FROM $s."userPurchases" WHERE "userId" = $1`, [user]),
    ).toEqual([{ balance: 0 }]);
    await h.rows(`INSERT INTO $s."settings" VALUES ('welcomeText', 'Hail, goblin!')`);
    expect(await h.say(user, '/start')).toEqual(['Hail, goblin!\nBalance: 0 scrolls.']);
  });

  it('tops up (adminPlus only), buys a kickstarter, lists the catalog', async () => {
    const user = h.newUserId();
    await h.say(user, '/start');
    expect(await h.say(user, `/topup ${user} 100`)).toEqual(['Only adminPlus may do this.']);
    expect(await h.say(h.owner, `/topup ${user} 100`)).toEqual([
      `User ${user}: balance 100 scrolls.`,
    ]);
    expect((await h.say(user, '/kickstarters'))[0]).toContain(
      '0. Goblin Warband by Greenskin: 25 scrolls',
    );
    expect(await h.say(user, '/buy 0')).toEqual([
      'You bought Goblin Warband: https://ks.example/warband\nBalance: 75 scrolls.',
    ]);
    expect(
      await h.rows(
        `SELECT p.balance, p."scrollsSpent", k."kickstarterId", k."acquiredBy" FROM $s."userPurchases" p JOIN $s."userKickstarters" k USING ("userId") WHERE "userId" = $1`,
        [user],
      ),
    ).toEqual([{ balance: 75, scrollsSpent: 25, kickstarterId: 0, acquiredBy: 'purchase' }]);
    expect((await h.say(user, '/buy 0'))[0]).toMatch(/^You already have Goblin Warband/);
  });

  it("joins the current month's regular and plus groups; counters follow the rows", async () => {
    const user = h.newUserId();
    await h.say(h.owner, '/period 2031_07');
    await h.say(h.owner, '/month regular -1009000000001 https://t.me/+regular');
    await h.say(h.owner, '/month plus -1009000000002 https://t.me/+plus');
    expect(await h.say(h.owner, `/topup ${user} 30`)).toEqual([
      `User ${user} has not talked to the bot yet.`,
    ]);
    await h.say(user, '/start');
    await h.say(h.owner, `/topup ${user} 30`);
    expect(await h.say(user, '/join regular')).toEqual([
      'Welcome to the 2031_07 regular group: https://t.me/+regular',
    ]);
    expect(await h.say(user, '/join plus')).toEqual([
      'Welcome to the 2031_07 plus group: https://t.me/+plus',
    ]);
    expect(
      await h.rows(
        `SELECT type::text, "chatId"::text, "counterJoined", "counterPaid" FROM $s."months" WHERE period = '2031_07' ORDER BY type`,
      ),
    ).toEqual([
      { type: 'plus', chatId: '-1009000000002', counterJoined: 1, counterPaid: 1 },
      { type: 'regular', chatId: '-1009000000001', counterJoined: 1, counterPaid: 1 },
    ]);
    expect((await h.say(user, '/balance'))[0]).toContain('Groups: 2031_07 regular, 2031_07 plus.');
    expect(
      await h.rows(`SELECT balance FROM $s."userPurchases" WHERE "userId" = $1`, [user]),
    ).toEqual([{ balance: 0 }]);
  });

  it('creates a lot with photos, joins it, shows participants, closes it; /nl clears lots', async () => {
    const [author, buyer, group] = [h.newUserId(), h.newUserId(), -100_777];
    await h.say(author, '/newlot', group);
    await h.send(photo(author, 'photo-a', group));
    await h.send(photo(author, 'photo-b', group));
    expect(
      await h.say(author, '/lotsave 12.5 eur https://shop.example/lot Anna Orc Army', group),
    ).toEqual(['Lot #1 "Orc Army" is open: /lotjoin 1']);
    // In a group, a command without an id means the lot last created there (chatSession).
    expect(await h.say(buyer, '/lotjoin', group)).toEqual(['You joined lot #1 (1 in).']);
    expect(await h.session('chatSession', { chatId: group })).toEqual({ lastLotId: '1' });
    expect(await h.say(buyer, '/lot 1', group)).toEqual([
      `#1 Orc Army by Anna: 12.5 EUR, open\nhttps://shop.example/lot\nParticipants: ${buyer}`,
    ]);
    expect(await h.say(buyer, '/lotclose 1', group)).toEqual([
      'Only the author of lot #1 or an admin may close it.',
    ]);
    expect(await h.say(author, '/lotclose 1', group)).toEqual([
      'Lot #1 is closed with 1 participants.',
    ]);
    // Each lot is its own key; the index lists it.
    expect(await h.lotIndex()).toEqual({ ids: ['1'], nextId: 2 });
    expect(await h.lot(1)).toMatchObject({
      photos: ['photo-a', 'photo-b'],
      price: 12.5,
      currency: 'EUR',
      author: 'Anna',
      participants: [String(buyer)],
      opened: false,
      whoCreated: { id: author },
    });
    expect(await h.session('scene', { chatId: group, userId: author })).toBeUndefined();
    expect(await h.say(author, '/nl', group)).toEqual(['Only admin or adminPlus may do this.']);
    expect(await h.say(h.owner, '/nl', group)).toEqual(['All lots were cleared.']);
    expect(await h.lot(1)).toBeUndefined();
    expect(await h.lotIndex()).toBeUndefined();
  });

  it('runs a studio poll and records answers (a poll answer has no chat)', async () => {
    const voter = h.newUserId();
    await h.say(h.owner, '/studio Games Workshop');
    await h.say(h.owner, '/studio Artel W');
    const from = h.calls.length;
    await h.say(h.owner, '/poll');
    const poll = h.calls.slice(from).find((c) => c.method === 'sendPoll')!;
    expect(poll.payload.options).toEqual(['Games Workshop', 'Artel W']);
    const polls = (await h.session('polls')) as { list: Record<string, unknown> };
    const [pollId] = Object.keys(polls.list);
    await h.send(pollAnswer(voter, pollId!, [1]));
    expect(
      ((await h.session('polls')) as { list: Record<string, { votes: unknown }> }).list[pollId!]!
        .votes,
    ).toEqual({
      [voter]: [1],
    });
  });

  it('indexes channel posts and resets a channel', async () => {
    const channel = -100_555;
    await h.send(channelPost(channel, '🔸 New minis #Artel'));
    let channels = (await h.session('channelsSession')) as { channels: Record<string, unknown> };
    expect(channels.channels[channel]).toMatchObject({
      studios: ['Artel'],
      locked: false,
      type: 'archive',
    });
    await h.send(channelPost(channel, 'reset'));
    channels = (await h.session('channelsSession')) as { channels: Record<string, unknown> };
    expect(channels.channels[channel]).toEqual({
      indexers: [],
      studios: [],
      locked: false,
      type: 'archive',
    });
  });

  it('grants and takes roles (adminPlus only); a rejected user gets a reply and nothing else', async () => {
    const [admin, user] = [h.newUserId(), h.newUserId()];
    await h.say(admin, '/start');
    await h.say(user, '/start');
    expect(await h.say(h.owner, `/role ${admin} admin`)).toEqual([`User ${admin}: roles admin.`]);
    expect(await h.say(admin, `/role ${user} adminPlus`)).toEqual(['Only adminPlus may do this.']);
    await h.say(h.owner, `/role ${user} rejected`);
    expect(await h.say(user, '/balance')).toEqual(['Your access to this bot was rejected.']);
    expect(
      await h.rows(
        `SELECT "userId"::int, role::text FROM $s."userRoles" WHERE "userId" = ANY($1) ORDER BY 1`,
        [[admin, user]],
      ),
    ).toEqual([
      { userId: admin, role: 'admin' },
      { userId: user, role: 'rejected' },
    ]);
    await h.say(h.owner, `/unrole ${user} rejected`);
    expect((await h.say(user, '/balance'))[0]).toMatch(/^Balance: 0 scrolls/);
  });

  it('replies only after the state is saved: a write PostgreSQL refuses is never announced', async () => {
    const user = h.newUserId();
    await h.say(user, '/start');
    await h.say(h.owner, `/topup ${user} 100`);
    await h.rows(
      `INSERT INTO $s."kickstarters" (id, name, creator, cost, link) VALUES (99, 'Cursed', 'X', 10, 'https://ks.example/cursed')`,
    );
    // The database refuses this kickstarter at commit time, after the handler said yes.
    await h.rows(
      `CREATE FUNCTION $s.refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$`,
    );
    await h.rows(
      `CREATE TRIGGER refuse BEFORE INSERT ON $s."userKickstarters" FOR EACH ROW WHEN (NEW."kickstarterId" = 99) EXECUTE FUNCTION $s.refuse()`,
    );
    const from = h.calls.length;
    const original = console.error;
    console.error = () => undefined; // Telegraf logs the update it rethrows
    try {
      await expect(h.say(user, '/buy 99')).rejects.toThrow(/refused/);
    } finally {
      console.error = original;
    }
    expect(h.calls.slice(from)).toEqual([]);
    expect(
      await h.rows(`SELECT balance FROM $s."userPurchases" WHERE "userId" = $1`, [user]),
    ).toEqual([{ balance: 100 }]);
  });
});
