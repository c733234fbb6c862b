import type { AppStack } from '@hybridstate/identity';
import type { TelegramOptions } from '@hybridstate/telegram';
import { Bot, type Context } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import type { BotRepository, Conversation } from './bot-repository.ts';

/** The `/help` text when `bot_state` has no `help_text`. */
export const DEFAULT_HELP =
  'Commands: /start links this chat to your exchanger account, /notifications shows what is new, /help shows this.';

/** Replies of the bot. */
export const EXCHANGER_BOT_TEXT = {
  welcomeLinked: (email: string) => `Welcome back, ${email}. /notifications shows what is new.`,
  welcomeUnlinked:
    'Welcome! This chat is not linked to an exchanger account yet: add your Telegram id to your profile on the web site.',
  notLinked:
    'This chat is not linked to an exchanger account, so there are no notifications for it.',
  noNotifications: 'No new notifications.',
} as const;

/** What the bot is built from: the telegram stack and the bot's repository. */
export interface ExchangerBotDeps {
  /** The `telegram` context's stack (caches `conversations` 24 h and `commands` 1 h). */
  readonly stack: AppStack;
  readonly repo: BotRepository;
}

/** A grammY bot for the exchanger, talking to Telegram or to `apiRoot`. */
export function createExchangerBot(
  deps: ExchangerBotDeps,
  telegram: TelegramOptions & { readonly token: string; readonly botInfo?: UserFromGetMe },
): Bot {
  const bot = new Bot(telegram.token, {
    ...(telegram.apiRoot === undefined ? {} : { client: { apiRoot: telegram.apiRoot } }),
    ...(telegram.botInfo === undefined ? {} : { botInfo: telegram.botInfo }),
  });
  installExchangerBot(bot, deps);
  return bot;
}

/**
 * The bot's handlers: every message is saved in `messages`, every command in `user_commands`;
 * the conversation is cached 24 h (`cache:telegram:conversations`), the `/help` text 1 h
 * (`cache:telegram:commands`), both through the telegram stack, so no other application's
 * cache can be read or filled from here.
 */
export function installExchangerBot<C extends Context>(bot: Bot<C>, deps: ExchangerBotDeps): void {
  const { stack, repo } = deps;
  const conversationOf = (telegramUserId: number) =>
    stack.cache.getOrSet<Conversation>('conversations', telegramUserId, () =>
      repo.conversation(telegramUserId),
    );

  bot.on('message:text', async (ctx, next) => {
    const conversation = await conversationOf(ctx.from.id);
    await repo.saveMessage(conversation.id, ctx.message.message_id, 'text', {
      text: ctx.message.text,
    });
    const command = ctx.message.entities?.find((e) => e.type === 'bot_command' && e.offset === 0);
    if (command !== undefined) {
      const name = ctx.message.text.slice(1, command.length).split('@')[0]!;
      await repo.recordCommand(ctx.from.id, name, ctx.message.text.slice(command.length).trim());
    }
    await next();
  });
  bot.command('start', async (ctx) => {
    // Relink on /start: the profile may have been linked since the conversation was cached.
    await stack.cache.delete('conversations', ctx.from!.id);
    const conversation = await conversationOf(ctx.from!.id);
    const user = conversation.userId === null ? null : await stack.users.get(conversation.userId);
    await ctx.reply(
      user === null
        ? EXCHANGER_BOT_TEXT.welcomeUnlinked
        : EXCHANGER_BOT_TEXT.welcomeLinked(user.email),
    );
  });
  bot.command('help', async (ctx) => {
    const help = await stack.cache.getOrSet(
      'commands',
      'help',
      async () => (await repo.state<string>('help_text')) ?? DEFAULT_HELP,
    );
    await ctx.reply(help);
  });
  bot.command('notifications', async (ctx) => {
    const conversation = await conversationOf(ctx.from!.id);
    if (conversation.userId === null) return void (await ctx.reply(EXCHANGER_BOT_TEXT.notLinked));
    const items = await repo.takeNotifications(conversation.userId, ctx.from!.id);
    await ctx.reply(
      items.length === 0
        ? EXCHANGER_BOT_TEXT.noNotifications
        : items.map((n) => `• ${n.message}`).join('\n'),
    );
  });
}
