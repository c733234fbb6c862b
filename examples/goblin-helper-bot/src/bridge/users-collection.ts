import type { SqlClient } from '@hybridstate/core';
import type { BridgeCollection, RowChange } from '@hybridstate/telegram';
import type { GroupType } from '../domain/period.ts';
import type { GoblinUser, Role } from '../domain/user.ts';
import { ident } from '../schema/migrations.ts';

interface UserRow {
  id: string;
  username: string | null;
  firstName: string;
  lastName: string;
  balance: number | null;
  scrollsSpent: number | null;
  collections: string[] | null;
  roles: Role[];
  regular: string[];
  plus: string[];
  kickstarters: string[];
}

/**
 * `ctx.users`: the rows of `users`, `userPurchases`, `userRoles`, `userGroups` and
 * `userKickstarters` of the users a handler asks for, in one query. Writes are diffs: balance
 * and scrolls as increments (concurrent writers add up, and the CHECK keeps balance >= 0),
 * roles, groups and kickstarters as inserted and deleted rows.
 */
export function usersCollection(schema: string): BridgeCollection<GoblinUser> {
  const s = ident(schema);
  return {
    load: async (sql, keys) =>
      (
        await sql.query<UserRow>(
          `SELECT u.id, u.username, u."firstName", u."lastName", p.balance, p."scrollsSpent", p.collections,
             array(SELECT r.role::text FROM ${s}."userRoles" r WHERE r."userId" = u.id ORDER BY r.role) AS roles,
             array(SELECT g.period::text FROM ${s}."userGroups" g WHERE g."userId" = u.id AND g.type = 'regular' ORDER BY g.period) AS regular,
             array(SELECT g.period::text FROM ${s}."userGroups" g WHERE g."userId" = u.id AND g.type = 'plus' ORDER BY g.period) AS plus,
             array(SELECT k."kickstarterId"::text FROM ${s}."userKickstarters" k WHERE k."userId" = u.id ORDER BY k."acquiredAt", k."kickstarterId") AS kickstarters
           FROM ${s}."users" u LEFT JOIN ${s}."userPurchases" p ON p."userId" = u.id
           WHERE u.id = ANY($1::bigint[])`,
          [keys],
        )
      ).map(toUser),
    keyOf: (user) => String(user.id),
    save: async (tx, { upserts, deletes }) => {
      for (const change of upserts) await saveUser(tx, s, change);
      if (deletes.length > 0)
        await tx.query(`DELETE FROM ${s}."users" WHERE id = ANY($1::bigint[])`, [deletes]);
    },
  };
}

function toUser(row: UserRow): GoblinUser {
  return {
    id: Number(row.id),
    username: row.username ?? '',
    first_name: row.firstName,
    last_name: row.lastName,
    roles: row.roles,
    purchases: {
      balance: row.balance ?? 0,
      scrollsSpent: row.scrollsSpent ?? 0,
      groups: { regular: row.regular, plus: row.plus },
      kickstarters: row.kickstarters,
      collections: row.collections ?? [],
    },
  };
}

async function saveUser(tx: SqlClient, s: string, change: RowChange<GoblinUser>): Promise<void> {
  const { before, after } = change;
  if (before === undefined || namesChanged(before, after)) {
    await tx.query(
      `INSERT INTO ${s}."users" (id, username, "firstName", "lastName") VALUES ($1, $2, $3, $4)
       ON CONFLICT (id) DO UPDATE SET username = EXCLUDED.username, "firstName" = EXCLUDED."firstName", "lastName" = EXCLUDED."lastName"`,
      [after.id, after.username, after.first_name, after.last_name],
    );
  }
  await savePurchases(tx, s, before, after);
  await saveRoles(tx, s, after.id, before?.roles ?? [], after.roles);
  for (const type of ['regular', 'plus'] as const satisfies GroupType[])
    await saveGroups(tx, s, after.id, type, before?.purchases.groups[type] ?? [], after);
  const added = missing(after.purchases.kickstarters, before?.purchases.kickstarters ?? []);
  const removed = missing(before?.purchases.kickstarters ?? [], after.purchases.kickstarters);
  if (added.length > 0)
    await tx.query(
      `INSERT INTO ${s}."userKickstarters" ("userId", "kickstarterId") SELECT $1, unnest($2::integer[])`,
      [after.id, added],
    );
  if (removed.length > 0)
    await tx.query(
      `DELETE FROM ${s}."userKickstarters" WHERE "userId" = $1 AND "kickstarterId" = ANY($2::integer[])`,
      [after.id, removed],
    );
}

async function savePurchases(
  tx: SqlClient,
  s: string,
  before: GoblinUser | undefined,
  after: GoblinUser,
): Promise<void> {
  const p = after.purchases;
  const balance = p.balance - (before?.purchases.balance ?? 0);
  const spent = p.scrollsSpent - (before?.purchases.scrollsSpent ?? 0);
  const collections =
    JSON.stringify(before?.purchases.collections) !== JSON.stringify(p.collections);
  if (balance === 0 && spent === 0 && !collections && before !== undefined) return;
  // Increments, not absolute values: another writer's change in between is kept.
  await tx.query(
    `INSERT INTO ${s}."userPurchases" ("userId", balance, "scrollsSpent", collections) VALUES ($1, $2, $3, $4)
     ON CONFLICT ("userId") DO UPDATE SET balance = "userPurchases".balance + $5, "scrollsSpent" = "userPurchases"."scrollsSpent" + $6, collections = EXCLUDED.collections`,
    [after.id, p.balance, p.scrollsSpent, p.collections, balance, spent],
  );
}

async function saveGroups(
  tx: SqlClient,
  s: string,
  userId: number,
  type: GroupType,
  before: readonly string[],
  after: GoblinUser,
): Promise<void> {
  const now = after.purchases.groups[type];
  const added = missing(now, before);
  const removed = missing(before, now);
  if (added.length > 0)
    await tx.query(
      `INSERT INTO ${s}."userGroups" ("userId", period, type) SELECT $1, unnest($2::text[]), $3 ON CONFLICT DO NOTHING`,
      [userId, added, type],
    );
  if (removed.length > 0)
    await tx.query(
      `DELETE FROM ${s}."userGroups" WHERE "userId" = $1 AND type = $2 AND period = ANY($3::text[])`,
      [userId, type, removed],
    );
}

async function saveRoles(
  tx: SqlClient,
  s: string,
  userId: number,
  before: readonly Role[],
  after: readonly Role[],
): Promise<void> {
  const added = missing(after, before);
  const removed = missing(before, after);
  if (added.length > 0)
    await tx.query(
      `INSERT INTO ${s}."userRoles" ("userId", role) SELECT $1, unnest($2::text[])::${s}."userRole" ON CONFLICT DO NOTHING`,
      [userId, added],
    );
  if (removed.length > 0)
    await tx.query(
      `DELETE FROM ${s}."userRoles" WHERE "userId" = $1 AND role::text = ANY($2::text[])`,
      [userId, removed],
    );
}

function namesChanged(a: GoblinUser, b: GoblinUser): boolean {
  return a.username !== b.username || a.first_name !== b.first_name || a.last_name !== b.last_name;
}

function missing(from: readonly string[], other: readonly string[]): string[] {
  return [...new Set(from.filter((x) => !other.includes(x)))];
}
