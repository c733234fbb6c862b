import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestStack, testStack, uniqueId } from '../../../test-support/index.ts';
import { createGoblinBot } from '../src/bot/create-goblin-bot.ts';
import { ident, migrateGoblinSchema } from '../src/schema/migrations.ts';
import { message } from './goblin-harness.ts';

/** TELEGRAM_API_ROOT reaches Telegraf's `apiRoot`: the bot talks to this Bot API emulator. */
describe('a self-hosted Bot API server (TELEGRAM_API_ROOT)', () => {
  const received: { path: string; body: Record<string, unknown> }[] = [];
  const server = createServer(async (request: IncomingMessage, response) => {
    let text = '';
    for await (const chunk of request) text += chunk;
    received.push({ path: request.url ?? '', body: text === '' ? {} : JSON.parse(text) });
    response.setHeader('content-type', 'application/json');
    response.end(
      JSON.stringify({
        ok: true,
        result: { message_id: 1, date: 0, chat: { id: 1, type: 'private' } },
      }),
    );
  });
  let stack: TestStack;
  const schema = uniqueId('goblin_');

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    stack = await testStack();
    await migrateGoblinSchema(stack.pg.sql, schema);
  });
  afterAll(async () => {
    server.close();
    await stack?.pg.pool.query(`DROP SCHEMA IF EXISTS ${ident(schema)} CASCADE`);
    await stack?.cleanup();
  });

  it('sends its replies to the configured API root', async () => {
    const apiRoot = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const { bot } = createGoblinBot({
      token: '777:EMULATOR',
      telegram: { apiRoot },
      store: stack.store,
      keyspace: stack.keyspace,
      sql: stack.pg.sql,
      schema,
    });
    bot.botInfo = { id: 777, is_bot: true, first_name: 'Goblin', username: 'goblin_bot' } as never;
    await bot.handleUpdate(message(4242, '/start'));
    expect(received).toEqual([
      {
        path: '/bot777:EMULATOR/sendMessage',
        body: expect.objectContaining({
          chat_id: 4242,
          text: 'Welcome to the guild!\nBalance: 0 scrolls.',
        }),
      },
    ]);
  });
});
