import type { Telegraf } from 'telegraf';
import type { Update } from 'telegraf/types';
import type { GoblinContext } from './bot/goblin-context.ts';

const DEMO_USER = 4242;

function command(text: string, id: number): Update {
  return {
    update_id: id,
    message: {
      message_id: id,
      date: Math.floor(Date.now() / 1000),
      chat: { id: DEMO_USER, type: 'private', first_name: 'Demo' },
      from: { id: DEMO_USER, is_bot: false, first_name: 'Demo' },
      text,
      entities: [{ type: 'bot_command', offset: 0, length: text.split(' ')[0]!.length }],
    },
  } as Update;
}

/**
 * Without a token: send a few commands through the real pipeline (sessions, bridge, flows)
 * and print the replies the bot would have sent, so `npm start` shows something on a fresh
 * machine.
 */
export async function runDemo(bot: Telegraf<GoblinContext>): Promise<void> {
  bot.botInfo = { id: 1, is_bot: true, first_name: 'Goblin', username: 'goblin_demo_bot' } as never;
  bot.telegram.callApi = (async (method: string, payload: { text?: string }) => {
    console.log(`  bot -> ${method}: ${payload.text ?? ''}`);
    return { message_id: 1, date: 0, chat: { id: DEMO_USER, type: 'private' } };
  }) as never;
  // Telegraf gives each update a new Telegram client from the options; this one is used instead.
  Object.assign(bot.context, { telegram: bot.telegram });
  let id = Date.now();
  for (const text of [
    '/start',
    '/balance',
    '/newlot',
    '/lotsave 10 GBP https://example.com Bob Goblin',
    '/lots',
  ]) {
    console.log(`user -> ${text}`);
    await bot.handleUpdate(command(text, id++));
  }
}
