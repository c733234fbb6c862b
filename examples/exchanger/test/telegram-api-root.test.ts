import { createServer } from 'node:http';
import { readTelegramOptions } from '@hybridstate/telegram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOT_INFO, commandUpdate } from '../../../test-support/telegram.ts';
import { createExchangerBot } from '../src/bot/exchanger-bot.ts';
import { type ExchangerWorld, exchangerWorld } from './exchanger-world.ts';

describe('exchanger bot with TELEGRAM_API_ROOT', () => {
  let world: ExchangerWorld;
  const paths: string[] = [];
  const server = createServer((request, response) => {
    paths.push(request.url ?? '');
    request.resume();
    request.on('end', () => {
      response.setHeader('content-type', 'application/json');
      response.end(
        JSON.stringify({
          ok: true,
          result: { message_id: 1, date: 0, chat: { id: 1, type: 'private' } },
        }),
      );
    });
  });

  beforeAll(async () => {
    world = await exchangerWorld();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await world?.cleanup();
    await new Promise((resolve) => server.close(resolve));
  });

  it('calls the Bot API server the variable names', async () => {
    const { port } = server.address() as { port: number };
    const telegram = readTelegramOptions({
      BOT_TOKEN: '42:TOKEN',
      TELEGRAM_API_ROOT: `http://127.0.0.1:${port}`,
    });
    const bot = createExchangerBot(world.apps.bot, {
      ...telegram,
      token: telegram.token!,
      botInfo: BOT_INFO,
    });
    await bot.handleUpdate(commandUpdate(7, 'help'));
    expect(paths).toEqual(['/bot42:TOKEN/sendMessage']);
  });
});
