/**
 * `npm start -w examples/assistant-bot`: seed 003's assistant on hybridstate.
 * Reads REDIS_* / DATABASE_* / PG* (see the root README), BOT_TOKEN and TELEGRAM_API_ROOT.
 * With none set: process memory + embedded PGlite, and, without BOT_TOKEN, an offline console
 * demo where each line you type is a message from user 1.
 */
import { createInterface } from 'node:readline';
import { describeConfig, loadConfig, openStore } from '@hybridstate/core';
import { readTelegramOptions } from '@hybridstate/telegram';
import { Bot } from 'grammy';
import { createAssistantBot, installAssistant } from './assistant-bot.ts';
import { assistantKeyspace } from './assistant-keyspace.ts';
import { assistantServices } from './assistant-services.ts';
import { consoleLogger } from './console-logger.ts';

const logger = consoleLogger(process.env.LOG_LEVEL);

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const telegram = readTelegramOptions(process.env);
  const described = describeConfig(config);
  logger.info({}, described.redis);
  logger.info({}, described.postgres);
  const { keyspace, families } = assistantKeyspace(process.env.KEY_PREFIX ?? 'assistant');
  const opened = await openStore(config, keyspace, logger);
  const services = assistantServices(opened.store, families, { logger });
  // Chat turns kept in RAM while both tiers were down go to the store as soon as one is back.
  const drain = setInterval(
    () => void services.memory.flushPending().catch(() => undefined),
    30_000,
  );
  drain.unref();
  const stop = async () => {
    clearInterval(drain);
    await bot.stop().catch(() => undefined);
    await opened.close(); // flushes pending write-behind entries first
    process.exit(0);
  };
  let bot: Bot;
  if (telegram.token === undefined) {
    bot = offlineBot();
    installAssistant(bot, services);
  } else bot = createAssistantBot(services, { ...telegram, token: telegram.token });
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  if (telegram.token === undefined) return consoleDemo(bot, stop);
  logger.info(
    { apiRoot: telegram.apiRoot ?? 'https://api.telegram.org' },
    'assistant bot: polling Telegram',
  );
  await bot.start({ drop_pending_updates: false });
}

/** A bot that prints what it would send instead of calling Telegram. */
function offlineBot(): Bot {
  const bot = new Bot('0:OFFLINE', {
    botInfo: {
      id: 1,
      is_bot: true,
      first_name: 'Assistant',
      username: 'assistant_demo_bot',
    } as never,
  });
  let sent = 0;
  bot.api.config.use(async (_prev, _method, payload) => {
    if ('text' in payload) process.stdout.write(`bot> ${String(payload.text)}\n`);
    return {
      ok: true,
      result: { message_id: ++sent, date: 0, chat: { id: 1, type: 'private' } },
    } as never;
  });
  return bot;
}

async function consoleDemo(bot: Bot, stop: () => Promise<void>): Promise<void> {
  logger.info({}, 'no BOT_TOKEN: offline demo. Type messages (try /book), Ctrl+D to quit.');
  const lines = createInterface({ input: process.stdin });
  let id = 0;
  for await (const text of lines) {
    id++;
    const entities = text.startsWith('/')
      ? [{ type: 'bot_command', offset: 0, length: text.split(' ')[0]!.length }]
      : undefined;
    await bot.handleUpdate({
      update_id: id,
      message: {
        message_id: 1_000_000 + id,
        date: Math.floor(Date.now() / 1000),
        chat: { id: 1, type: 'private', first_name: 'you' },
        from: { id: 1, is_bot: false, first_name: 'you' },
        text,
        ...(entities === undefined ? {} : { entities }),
      },
    } as never);
  }
  await stop();
}

main().catch((error: unknown) => {
  logger.error({ err: error }, 'assistant bot failed to start');
  process.exit(1);
});
