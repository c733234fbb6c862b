import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GoblinHarness, goblinHarness, message, photo } from './goblin-harness.ts';

const USERS = 50;

describe('50 users at the same moment', () => {
  let h: GoblinHarness;
  const group = -100_5050;
  let users: number[];

  beforeAll(async () => {
    h = await goblinHarness();
    await h.rows(
      `INSERT INTO $s."kickstarters" (id, name, creator, cost, link) VALUES (3, 'Troll Bridge', 'Forge', 30, 'https://ks.example/troll')`,
    );
    await h.say(h.owner, '/period 2032_03');
    await h.say(h.owner, '/month regular -1003203000001 https://t.me/+r3203');
    await h.say(h.owner, '/newlot', group);
    await h.send(photo(h.owner, 'lot-photo', group));
    await h.say(h.owner, '/lotsave 20 RUB https://shop.example/z Boss Big Lot', group);
    users = Array.from({ length: USERS }, () => h.newUserId());
    for (const user of users) {
      await h.say(user, '/start');
      await h.say(h.owner, `/topup ${user} 45`);
    }
  });
  afterAll(async () => h?.cleanup());

  it('join one lot, buy one kickstarter and join the month group: nothing lost, every invariant holds', async () => {
    // 150 updates in flight together: same user serialized, different users in parallel.
    await Promise.all(
      users.flatMap((user) => [
        h.send(message(user, '/lotjoin 1', group)),
        h.send(message(user, '/buy 3')),
        h.send(message(user, '/join regular')),
      ]),
    );

    const { participants } = (await h.lot(1))!;
    expect(new Set(participants)).toEqual(new Set(users.map(String)));
    expect(participants).toHaveLength(USERS);

    const bought = await h.rows<{ n: number }>(
      `SELECT count(*)::int AS n FROM $s."userKickstarters" WHERE "kickstarterId" = 3`,
    );
    expect(bought).toEqual([{ n: USERS }]);

    // Each user had 45: 30 for the kickstarter and 10 for the group (default price) leave 5.
    const purchases = await h.rows<{ balance: number; scrollsSpent: number }>(
      `SELECT balance, "scrollsSpent" FROM $s."userPurchases" WHERE "userId" = ANY($1::bigint[])`,
      [users],
    );
    expect(purchases).toHaveLength(USERS);
    for (const p of purchases) expect(p).toEqual({ balance: 5, scrollsSpent: 40 });

    // Every counter equals its rows.
    const months = await h.rows(
      `SELECT m."counterJoined", m."counterPaid", (SELECT count(*)::int FROM $s."userGroups" g WHERE g.period = m.period AND g.type = m.type) AS rows
       FROM $s."months" m WHERE period = '2032_03' AND type = 'regular'`,
    );
    expect(months).toEqual([{ counterJoined: USERS, counterPaid: USERS, rows: USERS }]);

    // Every invariant of the seed, over the whole schema.
    const violations = await h.rows<{ n: number }>(
      `SELECT (SELECT count(*) FROM $s."userPurchases" WHERE balance < 0 OR "scrollsSpent" < 0)
            + (SELECT count(*) FROM $s."months" WHERE "counterJoined" < 0 OR "counterPaid" < 0)
            + (SELECT count(*) FROM (SELECT "userId", "kickstarterId" FROM $s."userKickstarters" GROUP BY 1, 2 HAVING count(*) > 1) d)
            + (SELECT count(*) FROM $s."users" u WHERE NOT EXISTS (SELECT 1 FROM $s."userPurchases" p WHERE p."userId" = u.id)) AS n`,
    );
    expect(violations.map((v) => Number(v.n))).toEqual([0]);

    // The replies: every user was told each of the three succeeded.
    const texts = h.calls.map((c) => String(c.payload.text));
    expect(texts.filter((t) => t.startsWith('You joined lot #1'))).toHaveLength(USERS);
    expect(texts.filter((t) => t.startsWith('You bought Troll Bridge'))).toHaveLength(USERS);
    expect(texts.filter((t) => t.startsWith('Welcome to the 2032_03 regular group'))).toHaveLength(
      USERS,
    );
  });
});
