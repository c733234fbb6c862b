import { readBackupFolder } from '@hybridstate/cli';
import type { SqlClient } from '@hybridstate/core';
import { saveKickstarter } from '../bridge/kickstarters-collection.ts';
import type { Kickstarter } from '../domain/kickstarter.ts';
import { GROUP_TYPES } from '../domain/period.ts';
import type { GoblinUser } from '../domain/user.ts';
import { ident } from '../schema/migrations.ts';

/** Rows an import wrote, per backup file. */
export interface BackupImportReport {
  readonly dir: string;
  readonly kickstarters: number;
  readonly users: number;
  readonly months: number;
  readonly settings: number;
}

type Json = Record<string, unknown>;

/**
 * Import a seed 000 `backups/<timestamp>` folder into the bot's tables, in the seed's order
 * (`scripts/import_redis_to_pg.js`): kickstarters, then users with their roles, groups,
 * purchases and kickstarters, then months, then settings. One transaction: a file that breaks
 * an invariant (a constraint names it) imports nothing. Idempotent: a second run changes nothing.
 * The folder is read and parsed by the `hybridstate import` command's own reader.
 *
 * @example
 * ```ts
 * await importGoblinBackup(sql, 'goblin', 'backups/2024-05-01T10-00-00');
 * ```
 */
export async function importGoblinBackup(
  sql: SqlClient,
  schema: string,
  dir: string,
): Promise<BackupImportReport> {
  const backup = await readBackupFolder(dir);
  const s = ident(schema);
  return sql.transaction(async (tx) => {
    const kickstarters = listEntries(backup.files.kickstarters);
    for (const [id, k] of kickstarters) await saveKickstarter(tx, s, toKickstarter(id, k as Json));
    const users = listEntries(backup.files.users);
    for (const [, u] of users) await importUser(tx, s, u as GoblinUser);
    let months = 0;
    for (const [year, byMonth] of Object.entries(list(backup.files.months)))
      for (const [month, types] of Object.entries(byMonth as Json))
        for (const [type, group] of Object.entries(types as Json)) {
          await importMonth(tx, s, `${year}_${month}`, type, group as Json);
          months++;
        }
    const settings = Object.entries((backup.files.settings ?? {}) as Json);
    for (const [key, value] of settings)
      await tx.query(
        `INSERT INTO ${s}."settings" (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
        [key, typeof value === 'string' ? value : JSON.stringify(value)],
      );
    return {
      dir: backup.dir,
      kickstarters: kickstarters.length,
      users: users.length,
      months,
      settings: settings.length,
    };
  });
}

function list(file: unknown): Json {
  const object = (file ?? {}) as Json;
  return (('list' in object ? object.list : object) ?? {}) as Json;
}

/** `list` as [id, value] pairs: an array's ids are its positions (`ctx.kickstarters.list[i]`). */
function listEntries(file: unknown): [string, unknown][] {
  const l = Array.isArray(file) ? file : list(file);
  return Array.isArray(l) ? l.map((v, i) => [String(i), v]) : Object.entries(l);
}

function toKickstarter(id: string, k: Json): Kickstarter {
  return {
    id,
    name: String(k.name ?? ''),
    creator: String(k.creator ?? ''),
    cost: k.cost as number,
    pledgeName: String(k.pledgeName ?? ''),
    pledgeCost: (k.pledgeCost as number | undefined) ?? 0,
    photos: ((k.photos as unknown[] | undefined) ?? []).map(String),
    files: ((k.files as unknown[] | undefined) ?? []).map(String),
    link: String(k.link ?? ''),
  };
}

async function importUser(tx: SqlClient, s: string, u: GoblinUser): Promise<void> {
  const p = u.purchases ?? {
    balance: 0,
    scrollsSpent: 0,
    groups: {},
    kickstarters: [],
    collections: [],
  };
  await tx.query(
    `INSERT INTO ${s}."users" (id, username, "firstName", "lastName") VALUES ($1, $2, $3, $4)
     ON CONFLICT (id) DO UPDATE SET username = EXCLUDED.username, "firstName" = EXCLUDED."firstName", "lastName" = EXCLUDED."lastName"`,
    [u.id, u.username ?? '', u.first_name ?? '', u.last_name ?? ''],
  );
  await tx.query(
    `INSERT INTO ${s}."userPurchases" ("userId", balance, "scrollsSpent", collections) VALUES ($1, $2, $3, $4)
     ON CONFLICT ("userId") DO UPDATE SET balance = EXCLUDED.balance, "scrollsSpent" = EXCLUDED."scrollsSpent", collections = EXCLUDED.collections`,
    [u.id, p.balance ?? 0, p.scrollsSpent ?? 0, (p.collections ?? []).map(String)],
  );
  await tx.query(
    `INSERT INTO ${s}."userRoles" ("userId", role) SELECT $1, unnest($2::text[])::${s}."userRole" ON CONFLICT DO NOTHING`,
    [u.id, u.roles ?? []],
  );
  for (const type of GROUP_TYPES)
    await tx.query(
      `INSERT INTO ${s}."userGroups" ("userId", period, type) SELECT $1, unnest($2::text[]), $3 ON CONFLICT DO NOTHING`,
      [u.id, p.groups?.[type] ?? [], type],
    );
  await tx.query(
    `INSERT INTO ${s}."userKickstarters" ("userId", "kickstarterId", "acquiredBy") SELECT $1, unnest($2::integer[]), 'import' ON CONFLICT DO NOTHING`,
    [u.id, (p.kickstarters ?? []).map(String)],
  );
}

async function importMonth(
  tx: SqlClient,
  s: string,
  period: string,
  type: string,
  g: Json,
): Promise<void> {
  const counter = (g.counter ?? {}) as { joined?: number; paid?: number };
  await tx.query(
    `INSERT INTO ${s}."months" (period, type, "chatId", link, "counterJoined", "counterPaid") VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (period, type) DO UPDATE SET "chatId" = EXCLUDED."chatId", link = EXCLUDED.link,
       "counterJoined" = EXCLUDED."counterJoined", "counterPaid" = EXCLUDED."counterPaid"`,
    [period, type, String(g.id), String(g.link ?? ''), counter.joined ?? 0, counter.paid ?? 0],
  );
}
