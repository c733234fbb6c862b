import { PGlite } from '@electric-sql/pglite';
import { Keyspace, pgliteSqlClient, pgSqlClient } from '@hybridstate/core';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_DATABASE_URL, uniqueId } from '../../../test-support/index.ts';
import { createAppStack, migrateIdentity } from '../src/index.ts';

const pools: pg.Pool[] = [];
const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
  for (const pool of pools) await pool.end();
});

function pool(database = TEST_DATABASE_URL): pg.Pool {
  const p = new pg.Pool({ connectionString: database, max: 4 });
  pools.push(p);
  return p;
}

describe('migrateIdentity', () => {
  it('creates every seed 001 table once; running again (even concurrently) applies nothing', async () => {
    const schemaPrefix = `${uniqueId('m')}_`;
    const owner = pool();
    const sql = pgSqlClient(owner);
    cleanups.push(() =>
      Promise.all(
        ['identity', 'web', 'admin', 'bot'].map((s) =>
          owner.query(`DROP SCHEMA IF EXISTS "${schemaPrefix}${s}" CASCADE`),
        ),
      ),
    );
    const reports = await Promise.all([1, 2, 3].map(() => migrateIdentity({ sql, schemaPrefix })));
    const applied = reports.flatMap((report) => Object.values(report).flat());
    expect(applied).toHaveLength(4); // version 1 of each of the four schemas, once in all
    expect(await migrateIdentity({ sql, schemaPrefix })).toEqual({
      [`${schemaPrefix}identity`]: [],
      [`${schemaPrefix}web`]: [],
      [`${schemaPrefix}admin`]: [],
      [`${schemaPrefix}bot`]: [],
    });
    const { rows } = await owner.query(
      `SELECT table_schema || '.' || table_name AS t FROM information_schema.tables WHERE table_schema LIKE $1 AND table_name <> 'hs_migrations' ORDER BY 1`,
      [`${schemaPrefix}%`],
    );
    const p = schemaPrefix;
    expect(rows.map((r) => r.t).sort()).toEqual(
      [
        `${p}admin.admin_settings`,
        `${p}admin.audit_logs`,
        `${p}admin.reports`,
        `${p}admin.system_metrics`,
        `${p}bot.bot_state`,
        `${p}bot.conversations`,
        `${p}bot.messages`,
        `${p}bot.notifications`,
        `${p}bot.user_commands`,
        `${p}identity.sessions`,
        `${p}identity.user_permissions`,
        `${p}identity.user_profiles`,
        `${p}identity.users`,
        `${p}web.analytics_events`,
        `${p}web.exchange_rates`,
        `${p}web.orders`,
        `${p}web.payments`,
      ].sort(),
    );
  });

  it('puts an application in its own database when asked (seed 001’s plan)', async () => {
    const schemaPrefix = `${uniqueId('m')}_`;
    const identityDb = pool();
    const url = new URL(TEST_DATABASE_URL);
    url.pathname = '/postgres';
    const adminDb = pool(url.toString());
    cleanups.push(async () => {
      for (const s of ['identity', 'web', 'bot'])
        await identityDb.query(`DROP SCHEMA IF EXISTS "${schemaPrefix}${s}" CASCADE`);
      await adminDb.query(`DROP SCHEMA IF EXISTS "${schemaPrefix}admin" CASCADE`);
    });
    await migrateIdentity({
      sql: pgSqlClient(identityDb),
      appDatabases: { admin: pgSqlClient(adminDb) },
      schemaPrefix,
    });
    const where = async (p: pg.Pool, schema: string) =>
      (
        await p.query('SELECT 1 FROM information_schema.schemata WHERE schema_name = $1', [
          `${schemaPrefix}${schema}`,
        ])
      ).rowCount;
    expect(await where(adminDb, 'admin')).toBe(1);
    expect(await where(identityDb, 'admin')).toBe(0);
    expect(await where(identityDb, 'web')).toBe(1);
  });

  it('embedded mode: PGlite and no Redis, sessions and caches still work', async () => {
    const db = new PGlite();
    cleanups.push(() => db.close());
    const sql = pgliteSqlClient(db);
    await migrateIdentity({ sql });
    const stack = createAppStack('telegram', {
      sql,
      keyspace: new Keyspace({ prefix: uniqueId('e') }),
    });
    const [user] = await sql.query<{ id: string }>(
      `INSERT INTO identity.users (email) VALUES ('tg@example.com') RETURNING id`,
    );
    const { id } = await stack.sessions.create(user!.id, { chat: 1n });
    expect((await stack.sessions.get(id))?.data).toEqual({ chat: 1n });
    expect(
      await createAppStack('web', {
        sql,
        keyspace: new Keyspace({ prefix: uniqueId('e') }),
      }).sessions.get(id),
    ).toBeNull();
    await stack.users.grant(user!.id, 'bot.use');
    expect((await stack.users.get(user!.id))?.permissions).toEqual(['bot.use']);
    let calls = 0;
    const load = () => ++calls;
    expect(await stack.cache.getOrSet('commands', 'help', load)).toBe(1);
    expect(await stack.cache.getOrSet('commands', 'help', load)).toBe(1);
    stack.close();
  }, 60_000);
});
