import { pgSqlClient, type SqlClient } from '@hybridstate/core';
import type { Context } from 'grammy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestPostgres, testPostgres } from '../../../test-support/index.ts';
import { grammyBot, messageUpdate } from '../../../test-support/telegram.ts';
import { type BridgeCollection, type BridgeFlavor, createBridge } from '../src/index.ts';

interface User {
  id: number;
  username: string;
  purchases: { balance: number; groups: { regular: string[] } };
}

describe('the PG bridge on a real grammY pipeline', () => {
  let pg: TestPostgres;
  let queries: string[];
  let sql: SqlClient;
  let users: BridgeCollection<User>;

  beforeAll(async () => {
    pg = await testPostgres();
    await pg.pool.query(
      `CREATE TABLE ${pg.schema}.users (id bigint PRIMARY KEY, username text NOT NULL, balance integer NOT NULL CHECK (balance >= 0), groups jsonb NOT NULL)`,
    );
    await pg.pool.query(
      `INSERT INTO ${pg.schema}.users SELECT g, 'user' || g, 100, '{"regular": []}' FROM generate_series(1, 1000) g`,
    );
    const base = pgSqlClient(pg.pool);
    queries = [];
    // Count what reaches PostgreSQL (also inside the bridge's transaction), to prove laziness.
    const counting = (client: SqlClient): SqlClient => ({
      ...client,
      query: (text, params, name) => {
        queries.push(text);
        return client.query(text, params, name);
      },
      transaction: (work) => client.transaction((tx) => work(counting(tx))),
    });
    sql = counting(base);
    users = {
      load: async (db, keys) => {
        const rows = await db.query<{
          id: string;
          username: string;
          balance: number;
          groups: { regular: string[] };
        }>(
          `SELECT id, username, balance, groups FROM ${pg.schema}.users WHERE id = ANY($1::bigint[])`,
          [keys],
        );
        return rows.map((r) => ({
          id: Number(r.id),
          username: r.username,
          purchases: { balance: r.balance, groups: r.groups },
        }));
      },
      keyOf: (user) => String(user.id),
      save: async (tx, { upserts, deletes }) => {
        for (const { after } of upserts) {
          await tx.query(
            `INSERT INTO ${pg.schema}.users VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO UPDATE SET username = EXCLUDED.username, balance = EXCLUDED.balance, groups = EXCLUDED.groups`,
            [
              after.id,
              after.username,
              after.purchases.balance,
              JSON.stringify(after.purchases.groups),
            ],
          );
        }
        if (deletes.length > 0)
          await tx.query(`DELETE FROM ${pg.schema}.users WHERE id = ANY($1::bigint[])`, [deletes]);
      },
    };
  });
  afterAll(async () => pg?.cleanup());

  const balance = async (id: number) =>
    (await pg.pool.query(`SELECT balance FROM ${pg.schema}.users WHERE id = $1`, [id])).rows[0]
      ?.balance;

  function bot() {
    const collections = { users };
    const { bot: b, calls } = grammyBot<Context & BridgeFlavor<typeof collections>>();
    b.use(createBridge(sql, collections));
    return { bot: b, calls };
  }

  it('loads only the rows a handler asks for, and writes only what changed', async () => {
    const { bot: b } = bot();
    b.on('message', async (ctx) => {
      const user = (await ctx.users.get(ctx.from.id))!;
      user.purchases.balance += 10;
      user.purchases.groups.regular.push('2026_11');
      await ctx.users.get(ctx.from.id + 1); // read only: not written
    });
    queries.length = 0;
    await b.handleUpdate(messageUpdate(7));
    expect(await balance(7)).toBe(110);
    expect(queries.filter((q) => q.includes('SELECT'))).toHaveLength(2); // two single-key loads, never the table
    expect(queries.filter((q) => q.includes('INSERT'))).toHaveLength(1); // user 8 did not change
  });

  it('costs no query when the handler never touches the collection', async () => {
    const { bot: b } = bot();
    b.on('message', () => undefined);
    queries.length = 0;
    await b.handleUpdate(messageUpdate(9));
    expect(queries).toEqual([]);
  });

  it('writes nothing when the handler throws', async () => {
    const { bot: b } = bot();
    b.on('message', async (ctx) => {
      (await ctx.users.get(ctx.from.id))!.purchases.balance = 0;
      throw new Error('handler failed');
    });
    await expect(b.handleUpdate(messageUpdate(10))).rejects.toThrow('handler failed');
    expect(await balance(10)).toBe(100);
  });

  it('rolls back every change of the update when PostgreSQL refuses one (balance >= 0)', async () => {
    const { bot: b } = bot();
    b.on('message', async (ctx) => {
      const [a, c] = await ctx.users.getMany([11, 12]);
      a!.purchases.balance -= 50;
      c!.purchases.balance -= 500; // violates the seed's invariant
    });
    await expect(b.handleUpdate(messageUpdate(11))).rejects.toThrow(/check constraint/);
    expect([await balance(11), await balance(12)]).toEqual([100, 100]);
  });

  it('gives concurrent gets of one key the same row, so no edit is lost', async () => {
    const { bot: b } = bot();
    b.on('message', async (ctx) => {
      const [x, y] = await Promise.all([ctx.users.get(20), ctx.users.get(20)]);
      x!.purchases.balance += 1;
      y!.purchases.balance += 1;
    });
    await b.handleUpdate(messageUpdate(20));
    expect(await balance(20)).toBe(102);
  });

  it('adds and deletes rows', async () => {
    const { bot: b } = bot();
    b.on('message', async (ctx) => {
      ctx.users.set({
        id: 5000,
        username: 'newcomer',
        purchases: { balance: 0, groups: { regular: [] } },
      });
      ctx.users.delete(13);
    });
    await b.handleUpdate(messageUpdate(13));
    expect(await balance(5000)).toBe(0);
    expect(await balance(13)).toBeUndefined();
  });
});
