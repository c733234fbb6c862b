import { createServer, type Server } from 'node:http';
import { readTelegramOptions } from '@hybridstate/telegram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOT_INFO, messageUpdate } from '../../../test-support/telegram.ts';
import { createAssistantBot } from '../src/assistant-bot.ts';
import { type AssistantWorld, assistantWorld } from './assistant-world.ts';

/** A stand-in Bot API server (what TELEGRAM_API_ROOT points at): records calls, answers ok. */
function fakeBotApi(): Promise<{
  server: Server;
  root: string;
  calls: { path: string; body: Record<string, unknown> }[];
}> {
  const calls: { path: string; body: Record<string, unknown> }[] = [];
  const server = createServer((request, response) => {
    let raw = '';
    request.on('data', (chunk: Buffer) => {
      raw += chunk.toString();
    });
    request.on('end', () => {
      calls.push({ path: request.url ?? '', body: JSON.parse(raw || '{}') });
      response.setHeader('content-type', 'application/json');
      response.end(
        JSON.stringify({
          ok: true,
          result: { message_id: calls.length, date: 0, chat: { id: 5, type: 'private' } },
        }),
      );
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as { port: number };
      resolve({ server, root: `http://127.0.0.1:${address.port}`, calls });
    }),
  );
}

describe('TELEGRAM_API_ROOT', () => {
  let world: AssistantWorld;
  let api: Awaited<ReturnType<typeof fakeBotApi>>;

  beforeAll(async () => {
    world = await assistantWorld();
    api = await fakeBotApi();
  });
  afterAll(async () => {
    await world?.cleanup();
    await new Promise((resolve) => api?.server.close(resolve));
  });

  it('sends the Bot API calls to the configured server instead of api.telegram.org', async () => {
    const telegram = readTelegramOptions({
      BOT_TOKEN: '123:SECRET',
      TELEGRAM_API_ROOT: `${api.root}/`,
    });
    const bot = createAssistantBot(world.services, {
      ...telegram,
      token: telegram.token!,
      botInfo: BOT_INFO,
    });
    await bot.handleUpdate(messageUpdate(5, 5, 'hello'));
    expect(api.calls).toEqual([
      {
        path: '/bot123:SECRET/sendMessage',
        body: expect.objectContaining({
          chat_id: 5,
          text: 'You said: "hello". This is the start of our conversation.',
        }),
      },
    ]);
  });
});
