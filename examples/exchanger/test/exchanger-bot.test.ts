import type { Context } from 'grammy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandUpdate, grammyBot, messageUpdate } from '../../../test-support/telegram.ts';
import { DEFAULT_HELP, EXCHANGER_BOT_TEXT, installExchangerBot } from '../src/bot/exchanger-bot.ts';
import { type ExchangerWorld, exchangerWorld } from './exchanger-world.ts';

describe('exchanger bot (grammY): conversations, notifications, commands cached 1 h', () => {
  let world: ExchangerWorld;
  const { bot, calls } = grammyBot<Context>();
  const send = async (update: Parameters<typeof bot.handleUpdate>[0]) => {
    const before = calls.length;
    await bot.handleUpdate(update);
    return calls.slice(before).map((c) => c.payload.text);
  };

  beforeAll(async () => {
    world = await exchangerWorld();
    installExchangerBot(bot, world.apps.bot);
  });
  afterAll(async () => {
    await world?.cleanup();
  });

  it('welcomes an unlinked chat, then the linked account after the profile names it', async () => {
    expect(await send(commandUpdate(501, 'start'))).toEqual([EXCHANGER_BOT_TEXT.welcomeUnlinked]);
    expect(await send(commandUpdate(501, 'notifications'))).toEqual([EXCHANGER_BOT_TEXT.notLinked]);
    const alice = await world.createUser('alice@example.com', 'x');
    await world.owner.query(
      `INSERT INTO ${world.schemas.identity}.user_profiles (user_id, telegram_user_id) VALUES ($1, 501)`,
      [alice],
    );
    expect(await send(commandUpdate(501, 'start'))).toEqual([
      EXCHANGER_BOT_TEXT.welcomeLinked('alice@example.com'),
    ]);
    const key = world.redisKey('cache.telegram.conversations', { key: 501 });
    const ttl = await world.redis.pttl(key);
    expect(ttl).toBeGreaterThan(23 * 3_600_000);
    expect(ttl).toBeLessThanOrEqual(24 * 3_600_000);

    await world.apps.bot.repo.notify(alice, 'Order 42 is paid', 'order_paid');
    await world.apps.bot.repo.notify(alice, 'USD/UAH moved 2%', 'rate_alert');
    expect(await send(commandUpdate(501, 'notifications'))).toEqual([
      '• Order 42 is paid\n• USD/UAH moved 2%',
    ]);
    expect(await send(commandUpdate(501, 'notifications'))).toEqual([
      EXCHANGER_BOT_TEXT.noNotifications,
    ]);
  });

  it('serves /help from the 1 h commands cache', async () => {
    expect(await send(commandUpdate(502, 'help'))).toEqual([DEFAULT_HELP]); // nothing in bot_state
    await world.apps.bot.repo.setState('help_text', 'Help v1');
    expect(await send(commandUpdate(502, 'help'))).toEqual([DEFAULT_HELP]);
    await world.apps.bot.stack.cache.delete('commands', 'help');
    expect(await send(commandUpdate(502, 'help'))).toEqual(['Help v1']);
    await world.apps.bot.repo.setState('help_text', 'Help v2');
    expect(await send(commandUpdate(502, 'help'))).toEqual(['Help v1']);
    const key = world.redisKey('cache.telegram.commands', { key: 'help' });
    const ttl = await world.redis.pttl(key);
    expect(ttl).toBeGreaterThan(30 * 60_000);
    expect(ttl).toBeLessThanOrEqual(60 * 60_000);
    await world.apps.bot.stack.cache.delete('commands', 'help');
    expect(await send(commandUpdate(502, 'help'))).toEqual(['Help v2']);
  });

  it('saves every message and every command in the bot schema, as the telegram role', async () => {
    await send(messageUpdate(503, 503, 'just saying'));
    await send(commandUpdate(503, 'help'));
    const { rows } = await world.owner.query(
      `SELECT m.content->>'text' AS text FROM ${world.schemas.bot}.messages m
       JOIN ${world.schemas.bot}.conversations c ON c.id = m.conversation_id WHERE c.telegram_user_id = 503 ORDER BY m.sent_at, m.message_id`,
    );
    expect(rows).toEqual([{ text: 'just saying' }, { text: '/help' }]);
    const commands = await world.owner.query(
      `SELECT command, telegram_user_id::int AS who FROM ${world.schemas.bot}.user_commands ORDER BY executed_at`,
    );
    expect(commands.rows).toContainEqual({ command: 'help', who: 503 });
    expect(commands.rows.filter((r) => r.command === 'start')).toHaveLength(2);
    // The telegram role reaches its own schema and identity, nothing of web or admin.
    await expect(
      world.roles.telegram.query(`SELECT 1 FROM ${world.schemas.web}.orders`),
    ).rejects.toThrow(/permission denied/);
  });
});
