/**
 * Bots for tests: real grammY and Telegraf pipelines (bot.handleUpdate), with the Bot API
 * calls they make captured instead of sent (Telegram's servers are the one part faked).
 */
import { Bot } from 'grammy';
import type { Update, UserFromGetMe } from 'grammy/types';
import { Telegraf } from 'telegraf';

export const BOT_INFO: UserFromGetMe = {
  id: 100000,
  is_bot: true,
  first_name: 'Test Bot',
  username: 'hybridstate_test_bot',
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
  has_topics_enabled: false,
  allows_users_to_create_topics: false,
} as UserFromGetMe;

/** A Bot API call a bot made. */
export interface ApiCall {
  readonly method: string;
  readonly payload: Record<string, unknown>;
}

/** A grammY bot whose API calls land in `calls`. */
export function grammyBot<C extends import('grammy').Context = import('grammy').Context>(): {
  bot: Bot<C>;
  calls: ApiCall[];
} {
  const calls: ApiCall[] = [];
  const bot = new Bot<C>('123456:TEST', { botInfo: BOT_INFO });
  bot.api.config.use(async (_prev, method, payload) => {
    calls.push({ method, payload: payload as Record<string, unknown> });
    return {
      ok: true,
      result: { message_id: calls.length, date: 0, chat: { id: 0, type: 'private' } },
    } as never;
  });
  return { bot, calls };
}

/** A Telegraf bot whose API calls land in `calls`. */
export function telegrafBot<C extends import('telegraf').Context = import('telegraf').Context>(): {
  bot: Telegraf<C>;
  calls: ApiCall[];
} {
  const calls: ApiCall[] = [];
  const bot = new Telegraf<C>('123456:TEST');
  bot.botInfo = BOT_INFO as never;
  bot.telegram.callApi = (async (method: string, payload: Record<string, unknown>) => {
    calls.push({ method, payload });
    return { message_id: calls.length, date: 0, chat: { id: 0, type: 'private' } };
  }) as never;
  // Telegraf builds a new client per update (handleUpdate); this makes every ctx use ours.
  Object.assign(bot.context, { telegram: bot.telegram });
  return { bot, calls };
}

let updateId = 1;

/** A text message update from `userId` in `chatId` (a private chat when equal). */
export function messageUpdate(userId: number, chatId = userId, text = 'hi'): Update {
  const chat =
    chatId === userId
      ? { id: chatId, type: 'private' as const, first_name: `user${userId}` }
      : { id: chatId, type: 'group' as const, title: `chat${chatId}` };
  return {
    update_id: updateId++,
    message: {
      message_id: updateId,
      date: Math.floor(Date.now() / 1000),
      chat,
      from: { id: userId, is_bot: false, first_name: `user${userId}` },
      text,
    },
  } as Update;
}

/** A command message (`/name`, with the bot_command entity bots match on). */
export function commandUpdate(userId: number, command: string, chatId = userId): Update {
  const update = messageUpdate(userId, chatId, `/${command}`);
  Object.assign(update.message!, {
    entities: [{ type: 'bot_command', offset: 0, length: command.length + 1 }],
  });
  return update;
}

/** A poll answer update: it has no chat (and grammY gives it no ctx.from either). */
export function pollAnswerUpdate(userId: number): Update {
  return {
    update_id: updateId++,
    poll_answer: {
      poll_id: 'p1',
      user: { id: userId, is_bot: false, first_name: `user${userId}` },
      option_ids: [0],
    },
  } as Update;
}
