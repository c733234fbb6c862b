/**
 * Seed 000's original state design, for bench/goblin.ts: seven `telegraf-session-redis-upd`
 * sessions (the four global keys, per user, per chat, and the scene session) and a PG bridge
 * that loads the users, months, kickstarters and settings tables whole before every update and
 * upserts the rows whose JSON changed afterwards, with absolute values. The handlers are the
 * example's own (`registerFlows`), unchanged; their `ctx.lots` is served from the seed's one
 * `lots` session value (`seedLots`), as the seed keeps it.
 */
import { createRequire } from 'node:module';
import type { SqlClient } from '@hybridstate/core';
import type { Telegraf } from 'telegraf';
import type {
  GoblinContext,
  GoblinDeps,
} from '../../examples/goblin-helper-bot/src/bot/goblin-context.ts';
import { outbox } from '../../examples/goblin-helper-bot/src/bot/outbox.ts';
import { registerFlows } from '../../examples/goblin-helper-bot/src/bot/register-flows.ts';
import { saveKickstarter } from '../../examples/goblin-helper-bot/src/bridge/kickstarters-collection.ts';
import type {
  Kickstarter,
  Setting,
} from '../../examples/goblin-helper-bot/src/domain/kickstarter.ts';
import {
  isExpired,
  joinLot,
  type LotsSession,
} from '../../examples/goblin-helper-bot/src/domain/lot.ts';
import type { MonthGroup } from '../../examples/goblin-helper-bot/src/domain/month.ts';
import type { GoblinUser } from '../../examples/goblin-helper-bot/src/domain/user.ts';
import { ident } from '../../examples/goblin-helper-bot/src/schema/migrations.ts';
import type { LotBoard } from '../../examples/goblin-helper-bot/src/state/lot-board.ts';
import { goblinSessionDefinitions } from '../../examples/goblin-helper-bot/src/state/sessions.ts';

const require = createRequire(import.meta.url);
const RedisSession = require('telegraf-session-redis-upd') as new (
  options: object,
) => {
  middleware(): (ctx: unknown, next: () => Promise<void>) => Promise<void>;
  client: { quit(): void };
};

type Ctx = { from?: { id: number }; chat?: { id: number } };

/** The seed's `modules/sessions.js`, with a key prefix so runs do not collide. */
export function seedSessions(redis: { host: string; port: number }, prefix: string) {
  const store = { host: redis.host, port: redis.port };
  const make = (property: string, key: (ctx: Ctx) => string | undefined) =>
    new RedisSession({ store, property, getSessionKey: (ctx: Ctx) => key(ctx) });
  return [
    make('globalSession', () => `${prefix}global`),
    make('lotsSession', () => `${prefix}lots`),
    make('polls', () => `${prefix}polls`),
    make('channelsSession', () => `${prefix}channels`),
    make('userSession', (ctx) => (ctx.from ? `${prefix}${ctx.from.id}-user` : undefined)),
    make('chatSession', (ctx) => (ctx.chat ? `${prefix}${ctx.chat.id}-chat` : undefined)),
    make('scene', (ctx) =>
      ctx.from && ctx.chat ? `${prefix}${ctx.from.id}:${ctx.chat.id}` : undefined,
    ),
  ];
}

/** The seed code's `ctx.lots.list ??= ...`: an empty session gets its initial shape. */
function initialShapes() {
  const definitions = goblinSessionDefinitions();
  return async (ctx: Record<string, unknown>, next: () => Promise<void>) => {
    for (const [property, definition] of Object.entries(definitions)) {
      const value = ctx[property] as Record<string, unknown> | undefined;
      if (value !== undefined && Object.keys(value).length === 0 && property !== 'scene')
        Object.assign(value, definition.initial());
    }
    await next();
  };
}

interface Table<Row> {
  rows: Map<string, Row>;
  snapshot: Map<string, string>;
}

/**
 * The handlers' `ctx.lots` on the seed's layout: every lot in the one `lots` session value
 * (`ctx.lotsSession.list`), which the seed's session middleware reads and writes whole.
 */
function seedLots() {
  return async (ctx: Record<string, unknown>, next: () => Promise<void>) => {
    const value = () => {
      const lots = ctx.lotsSession as Partial<LotsSession>;
      lots.list ??= {};
      lots.nextId ??= 1;
      return lots as LotsSession;
    };
    const board: LotBoard = {
      get: async (id) => value().list[id],
      join: async (id, userId) => joinLot(id, value().list[id], userId),
      list: async () => Object.entries(value().list),
      add: async (lot, now) => {
        const lots = value();
        for (const [id, old] of Object.entries(lots.list))
          if (isExpired(old, now)) delete lots.list[id];
        const id = String(lots.nextId++);
        lots.list[id] = lot;
        return id;
      },
      clear: async () => {
        ctx.lotsSession = null;
      },
    };
    Object.assign(ctx, { lots: board });
    await next();
  };
}

/** The seed's bridge: whole tables in, changed rows (absolute values) out. */
export function seedBridge(sql: SqlClient, schema: string) {
  const s = ident(schema);
  return async (ctx: Record<string, unknown>, next: () => Promise<void>) => {
    const [users, months, kickstarters, settings] = await Promise.all([
      loadUsers(sql, s),
      loadTable<MonthGroup>(
        sql,
        `SELECT period::text, type::text, "chatId"::text AS id, link, json_build_object('joined', "counterJoined", 'paid', "counterPaid") AS counter FROM ${s}."months"`,
        (m) => `${m.period}:${m.type}`,
      ),
      loadTable<Kickstarter>(
        sql,
        `SELECT k.id::text, k.name, k.creator, k.cost, k."pledgeName", k."pledgeCost", k.link,
          array(SELECT "fileId" FROM ${s}."kickstarterPhotos" p WHERE p."kickstarterId" = k.id ORDER BY position) AS photos,
          array(SELECT "fileId" FROM ${s}."kickstarterFiles" f WHERE f."kickstarterId" = k.id ORDER BY position) AS files
        FROM ${s}."kickstarters" k`,
        (k) => k.id,
      ),
      loadTable<Setting>(sql, `SELECT key, value FROM ${s}."settings"`, (x) => x.key),
    ]);
    Object.assign(ctx, {
      users: access(users, (u) => String(u.id)),
      months: access(months, (m) => `${m.period}:${m.type}`),
      kickstarters: access(kickstarters, (k) => k.id),
      settings: access(settings, (x) => x.key),
    });
    await next();
    const dirty = {
      users: changed(users),
      months: changed(months),
      kickstarters: changed(kickstarters),
      settings: changed(settings),
    };
    if (Object.values(dirty).every((rows) => rows.length === 0)) return;
    await sql.transaction(async (tx) => {
      for (const user of dirty.users) await saveUserAbsolute(tx, s, user);
      for (const m of dirty.months)
        await tx.query(
          `INSERT INTO ${s}."months" (period, type, "chatId", link, "counterJoined", "counterPaid") VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (period, type) DO UPDATE SET "chatId" = EXCLUDED."chatId", link = EXCLUDED.link, "counterJoined" = EXCLUDED."counterJoined", "counterPaid" = EXCLUDED."counterPaid"`,
          [m.period, m.type, m.id, m.link, m.counter.joined, m.counter.paid],
        );
      for (const k of dirty.kickstarters) await saveKickstarter(tx, s, k);
      for (const x of dirty.settings)
        await tx.query(
          `INSERT INTO ${s}."settings" VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
          [x.key, x.value],
        );
    });
  };
}

async function loadTable<Row>(
  sql: SqlClient,
  text: string,
  keyOf: (row: Row) => string,
): Promise<Table<Row>> {
  const rows = await sql.query<Row & object>(text);
  return {
    rows: new Map(rows.map((r) => [keyOf(r), r])),
    snapshot: new Map(rows.map((r) => [keyOf(r), JSON.stringify(r)])),
  };
}

function loadUsers(sql: SqlClient, s: string): Promise<Table<GoblinUser>> {
  return loadTable<GoblinUser>(
    sql,
    `SELECT u.id::int, coalesce(u.username, '') AS username, u."firstName" AS first_name, u."lastName" AS last_name,
       array(SELECT r.role::text FROM ${s}."userRoles" r WHERE r."userId" = u.id ORDER BY r.role) AS roles,
       json_build_object('balance', coalesce(p.balance, 0), 'scrollsSpent', coalesce(p."scrollsSpent", 0),
         'groups', json_build_object(
           'regular', array(SELECT g.period::text FROM ${s}."userGroups" g WHERE g."userId" = u.id AND g.type = 'regular' ORDER BY g.period),
           'plus', array(SELECT g.period::text FROM ${s}."userGroups" g WHERE g."userId" = u.id AND g.type = 'plus' ORDER BY g.period)),
         'kickstarters', array(SELECT k."kickstarterId"::text FROM ${s}."userKickstarters" k WHERE k."userId" = u.id ORDER BY k."acquiredAt", k."kickstarterId"),
         'collections', coalesce(p.collections, '{}')) AS purchases
     FROM ${s}."users" u LEFT JOIN ${s}."userPurchases" p ON p."userId" = u.id`,
    (u) => String(u.id),
  );
}

function access<Row>(table: Table<Row>, keyOf: (row: Row) => string) {
  return {
    get: async (key: string | number) => table.rows.get(String(key)),
    getMany: async (keys: readonly (string | number)[]) =>
      keys.map((k) => table.rows.get(String(k))),
    set: (row: Row) => void table.rows.set(keyOf(row), row),
    delete: (key: string | number) => void table.rows.delete(String(key)),
  };
}

function changed<Row>(table: Table<Row>): Row[] {
  return [...table.rows]
    .filter(([k, row]) => table.snapshot.get(k) !== JSON.stringify(row))
    .map(([, row]) => row);
}

async function saveUserAbsolute(tx: SqlClient, s: string, u: GoblinUser): Promise<void> {
  const p = u.purchases;
  await tx.query(
    `INSERT INTO ${s}."users" (id, username, "firstName", "lastName") VALUES ($1, $2, $3, $4)
     ON CONFLICT (id) DO UPDATE SET username = EXCLUDED.username, "firstName" = EXCLUDED."firstName", "lastName" = EXCLUDED."lastName"`,
    [u.id, u.username, u.first_name, u.last_name],
  );
  await tx.query(
    `INSERT INTO ${s}."userPurchases" VALUES ($1, $2, $3, $4) ON CONFLICT ("userId") DO UPDATE SET balance = EXCLUDED.balance, "scrollsSpent" = EXCLUDED."scrollsSpent", collections = EXCLUDED.collections`,
    [u.id, p.balance, p.scrollsSpent, p.collections],
  );
  await tx.query(`DELETE FROM ${s}."userRoles" WHERE "userId" = $1`, [u.id]);
  await tx.query(`INSERT INTO ${s}."userRoles" SELECT $1, unnest($2::text[])::${s}."userRole"`, [
    u.id,
    u.roles,
  ]);
  await tx.query(`DELETE FROM ${s}."userGroups" WHERE "userId" = $1`, [u.id]);
  for (const type of ['regular', 'plus'] as const)
    await tx.query(
      `INSERT INTO ${s}."userGroups" SELECT $1, unnest($2::text[]), $3 ON CONFLICT DO NOTHING`,
      [u.id, p.groups[type], type],
    );
  await tx.query(
    `INSERT INTO ${s}."userKickstarters" ("userId", "kickstarterId") SELECT $1, unnest($2::integer[]) ON CONFLICT DO NOTHING`,
    [u.id, p.kickstarters],
  );
}

/** The seed's bot: its seven sessions, the whole-table bridge, the example's handlers. */
export function seedDesignBot(
  bot: Telegraf<GoblinContext>,
  sessions: ReturnType<typeof seedSessions>,
  sql: SqlClient,
  schema: string,
  ownerIds: readonly number[],
): void {
  const deps: GoblinDeps = {
    currentMonth: async (ctx) =>
      (ctx.globalSession as unknown as { current: { year: string; month: string } }).current,
    catalog: async (offset, limit) => {
      const rows = await sql.query<Kickstarter & object>(
        `SELECT id::text, name, creator, cost FROM ${ident(schema)}."kickstarters" ORDER BY id OFFSET $1 LIMIT $2`,
        [offset, limit],
      );
      return rows;
    },
    ownerIds,
    now: Date.now,
  };
  bot.use(outbox() as never);
  for (const session of sessions) bot.use(session.middleware() as never);
  bot.use(initialShapes() as never);
  bot.use(seedLots() as never);
  bot.use(seedBridge(sql, schema) as never);
  registerFlows(bot, deps);
}
