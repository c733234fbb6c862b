import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Keyspace, loadConfig, type OpenedStore, openStore } from '@hybridstate/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGoblinBot } from '../src/bot/create-goblin-bot.ts';
import { migrateGoblinSchema } from '../src/schema/migrations.ts';
import { message } from './goblin-harness.ts';

/** What `npm start` runs with no Redis or PostgreSQL variables: process memory and PGlite. */
describe('embedded defaults (no REDIS_*, no DATABASE_URL)', () => {
  let dir: string;
  let opened: OpenedStore;
  const keyspace = new Keyspace({ prefix: 'goblin' });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'goblin-pglite-'));
    const config = loadConfig({ PGLITE_DATA_DIR: dir });
    expect([config.redis.mode, config.postgres.mode]).toEqual(['memory', 'pglite']);
    opened = await openStore(config, keyspace);
    await migrateGoblinSchema(opened.sql, 'goblin');
  }, 60_000);
  afterAll(async () => {
    await opened?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('registers, drafts and refuses a GBP lot, keeps the user in PGlite', async () => {
    const { bot } = createGoblinBot({
      token: '1:EMBEDDED',
      store: opened.store,
      keyspace,
      sql: opened.sql,
      schema: 'goblin',
    });
    const texts: string[] = [];
    bot.botInfo = { id: 1, is_bot: true, first_name: 'Goblin', username: 'goblin_bot' } as never;
    bot.telegram.callApi = (async (_method: string, payload: { text: string }) => {
      texts.push(payload.text);
      return { message_id: 1, date: 0, chat: { id: 7, type: 'private' } };
    }) as never;
    Object.assign(bot.context, { telegram: bot.telegram });
    for (const text of ['/start', '/newlot', '/lotsave 10 GBP https://shop.example/x Bob Goblin'])
      await bot.handleUpdate(message(7, text));
    expect(texts).toEqual([
      'Welcome to the guild!\nBalance: 0 scrolls.',
      'Send 1 to 10 photos, then Usage: /lotsave <price> <USD|EUR|RUB> <link> <author> <name...>',
      'The lot was not created: a lot needs 1 to 10 photos, this one has 0; the currency must be one of USD, EUR, RUB, got GBP.',
    ]);
    expect(await opened.sql.query(`SELECT id::int FROM goblin."users"`)).toEqual([{ id: 7 }]);
  });
});
