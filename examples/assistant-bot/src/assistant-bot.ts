import type { TelegramOptions } from '@hybridstate/telegram';
import { Bot, type Context } from 'grammy';
import type { Message, UserFromGetMe } from 'grammy/types';
import { assistantReply } from './assistant-reply.ts';
import type { AssistantServices } from './assistant-services.ts';
import {
  BOOKING_TEXT,
  continueBooking,
  formatTime,
  type Say,
  startBooking,
} from './booking-conversation.ts';
import { isStorageUnavailable } from './storage-unavailable.ts';

/** Replies of the commands besides booking. */
export const BOT_TEXT = {
  start:
    'Hi! I am the assistant. Talk to me, /book an appointment, /mybooking to see it, /subscribe or /unsubscribe for email news.',
  noBooking: 'You have no booking. /book makes one.',
  myBooking: (at: Date, phone: string) => `Your booking: ${formatTime(at)} UTC, phone ${phone}.`,
  subscribed: 'You are subscribed to email news.',
  alreadySubscribed: 'You were already subscribed.',
  unsubscribed: 'You are unsubscribed.',
  notSubscribed: 'You were not subscribed.',
  unavailable:
    'I cannot reach my storage right now; nothing was changed. Please try again in a few minutes.',
} as const;

/**
 * A grammY bot talking to Telegram (or to `apiRoot`: a self-hosted Bot API server or an
 * emulator), with the assistant's handlers installed.
 *
 * @example
 * ```ts
 * const bot = createAssistantBot(services, { token: process.env.BOT_TOKEN, apiRoot: undefined });
 * await bot.start();
 * ```
 */
export function createAssistantBot(
  services: AssistantServices,
  telegram: TelegramOptions & { readonly token: string; readonly botInfo?: UserFromGetMe },
): Bot {
  const bot = new Bot(telegram.token, {
    ...(telegram.apiRoot === undefined ? {} : { client: { apiRoot: telegram.apiRoot } }),
    ...(telegram.botInfo === undefined ? {} : { botInfo: telegram.botInfo }),
  });
  installAssistant(bot, services);
  return bot;
}

/** Install the assistant's handlers on a bot (the tests install them on a capturing bot). */
export function installAssistant<C extends Context>(
  bot: Bot<C>,
  services: AssistantServices,
): void {
  bot.on('message', async (ctx, next) => {
    // Every message is saved before it is handled (seed 003's save_telegram_message).
    await services.messages.save({
      chatId: ctx.chat.id,
      messageId: ctx.message.message_id,
      from: ctx.from.id,
      text: messageText(ctx.message),
      at: new Date(ctx.message.date * 1000),
    });
    await next();
  });
  bot.command('start', (ctx) => sayTo(ctx, services)(BOT_TEXT.start));
  bot.command('book', (ctx) => startBooking(services, ctx.from!.id, sayTo(ctx, services)));
  bot.command('cancel', async (ctx) => {
    await services.drafts.clear(ctx.from!.id);
    await sayTo(ctx, services)(BOOKING_TEXT.cancelled);
  });
  bot.command('mybooking', (ctx) => showBooking(ctx, services));
  bot.command(['subscribe', 'unsubscribe'], (ctx) => changeSubscription(ctx, services));
  bot.on('message:text', async (ctx) => {
    const say = sayTo(ctx, services);
    const draft = await services.drafts.get(ctx.from.id);
    if (draft !== undefined)
      return continueBooking(services, ctx.from.id, draft, ctx.message.text, say);
    return chat(services, ctx.from.id, ctx.message.text, say);
  });
}

async function chat(
  services: AssistantServices,
  userId: number,
  text: string,
  say: Say,
): Promise<void> {
  const { turns } = await services.memory.history(userId);
  const answer = assistantReply(text, turns);
  const now = new Date();
  await services.memory.append(userId, [
    { role: 'user', text, at: now },
    { role: 'assistant', text: answer, at: now },
  ]);
  await say(answer);
}

async function showBooking(ctx: Context, services: AssistantServices): Promise<void> {
  const say = sayTo(ctx, services);
  try {
    const booking = await services.userData.booking(ctx.from!.id);
    await say(
      booking === undefined ? BOT_TEXT.noBooking : BOT_TEXT.myBooking(booking.at, booking.phone),
    );
  } catch (error) {
    if (!isStorageUnavailable(error)) throw error;
    await say(BOT_TEXT.unavailable);
  }
}

async function changeSubscription(ctx: Context, services: AssistantServices): Promise<void> {
  const say = sayTo(ctx, services);
  const userId = ctx.from!.id;
  try {
    if (ctx.hasCommand('subscribe'))
      await say(
        (await services.subscribers.add(userId)) ? BOT_TEXT.subscribed : BOT_TEXT.alreadySubscribed,
      );
    else
      await say(
        (await services.subscribers.remove(userId))
          ? BOT_TEXT.unsubscribed
          : BOT_TEXT.notSubscribed,
      );
  } catch (error) {
    if (!isStorageUnavailable(error)) throw error;
    await say(BOT_TEXT.unavailable);
  }
}

/** The text of a message, its caption, or its kind in brackets (`[photo]`, `[voice]`...). */
export function messageText(message: Message): string {
  if (message.text !== undefined) return message.text;
  if (message.caption !== undefined) return message.caption;
  const kind = Object.keys(message).find((k) => !NOT_CONTENT.has(k));
  return `[${kind ?? 'message'}]`;
}

const NOT_CONTENT = new Set([
  'message_id',
  'date',
  'chat',
  'from',
  'sender_chat',
  'entities',
  'caption_entities',
  'edit_date',
  'message_thread_id',
  'is_topic_message',
  'reply_to_message',
  'forward_origin',
  'has_protected_content',
  'author_signature',
  'media_group_id',
  'via_bot',
  'link_preview_options',
]);

/** Reply in the chat and save the reply like every other message. */
function sayTo(ctx: Context, services: AssistantServices): Say {
  return async (text) => {
    const sent = await ctx.reply(text);
    await services.messages.save({
      chatId: ctx.chat!.id,
      messageId: sent.message_id,
      from: 'bot',
      text,
      at: new Date(),
    });
  };
}
