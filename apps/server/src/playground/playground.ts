import type { Bot } from 'grammy';
import type { InlineKeyboardButton, KeyboardButton, Update } from 'grammy/types';
import { z } from 'zod';
import { validate } from '../platform/validate.ts';
import type { CapturedCall, PlaygroundCapture } from './playground-capture.ts';

/** A reply of the bot, as the playground shows it. */
export interface Reply {
  readonly method: 'sendMessage' | 'editMessageText' | 'answerCallbackQuery';
  readonly text?: string;
  readonly inlineKeyboard?: {
    text: string;
    callbackData?: string;
    url?: string;
    webAppUrl?: string;
  }[][];
  readonly replyKeyboard?: string[][];
}

const sendBody = z
  .object({
    from: z.object({
      id: z.number().int().min(1).max(9_999_999_999_999),
      firstName: z.string().trim().min(1).max(64),
      username: z
        .string()
        .regex(/^[A-Za-z0-9_]{1,32}$/)
        .optional(),
    }),
    text: z.string().min(1).max(4096).optional(),
    callbackData: z.string().min(1).max(64).optional(),
  })
  .refine((b) => (b.text === undefined) !== (b.callbackData === undefined), {
    message: 'send either text or callbackData',
    path: ['text'],
  });

let updateId = 1;

/**
 * The bot playground: a synthetic update from a test user goes through the real bot
 * (`bot.handleUpdate`), and the calls it makes come back as replies, without Telegram.
 */
export class Playground {
  readonly #handle: (update: Update) => Promise<void>;
  readonly #capture: PlaygroundCapture;

  // biome-ignore lint/suspicious/noExplicitAny: any context flavour
  constructor(bot: Bot<any>, capture: PlaygroundCapture) {
    this.#handle = (update) => bot.handleUpdate(update);
    this.#capture = capture;
  }

  /** Feed one message or button press; returns the bot's replies in order. */
  async send(body: unknown): Promise<{ replies: Reply[] }> {
    const input = validate(sendBody, body, 'playground message');
    const update = input.text === undefined ? callbackUpdate(input) : messageUpdate(input);
    const calls = await this.#capture.capture(() => this.#handle(update));
    return { replies: calls.map(toReply).filter((r) => r !== undefined) };
  }
}

type SendInput = z.output<typeof sendBody>;

function sender(input: SendInput) {
  return {
    id: input.from.id,
    is_bot: false,
    first_name: input.from.firstName,
    ...(input.from.username === undefined ? {} : { username: input.from.username }),
  };
}

function messageUpdate(input: SendInput): Update {
  const text = input.text!;
  const command = /^\/[A-Za-z0-9_]+/.exec(text);
  return {
    update_id: updateId++,
    message: {
      message_id: updateId,
      date: Math.floor(Date.now() / 1000),
      chat: { id: input.from.id, type: 'private', first_name: input.from.firstName },
      from: sender(input),
      text,
      ...(command === null
        ? {}
        : { entities: [{ type: 'bot_command', offset: 0, length: command[0].length }] }),
    },
  } as Update;
}

function callbackUpdate(input: SendInput): Update {
  return {
    update_id: updateId++,
    callback_query: {
      id: String(updateId),
      from: sender(input),
      chat_instance: `playground-${input.from.id}`,
      data: input.callbackData!,
      message: {
        message_id: 1,
        date: Math.floor(Date.now() / 1000),
        chat: { id: input.from.id, type: 'private', first_name: input.from.firstName },
        text: '',
      },
    },
  } as Update;
}

function toReply(call: CapturedCall): Reply | undefined {
  const p = call.payload as { text?: string; reply_markup?: Record<string, unknown> };
  if (call.method === 'answerCallbackQuery')
    return { method: call.method, ...(p.text === undefined ? {} : { text: p.text }) };
  if (call.method !== 'sendMessage' && call.method !== 'editMessageText') return undefined;
  const markup = p.reply_markup ?? {};
  const inline = markup.inline_keyboard as InlineKeyboardButton[][] | undefined;
  const keyboard = markup.keyboard as (KeyboardButton | string)[][] | undefined;
  return {
    method: call.method,
    ...(p.text === undefined ? {} : { text: p.text }),
    ...(inline === undefined ? {} : { inlineKeyboard: inline.map((row) => row.map(inlineButton)) }),
    ...(keyboard === undefined
      ? {}
      : {
          replyKeyboard: keyboard.map((row) =>
            row.map((b) => (typeof b === 'string' ? b : b.text)),
          ),
        }),
  };
}

function inlineButton(button: InlineKeyboardButton) {
  const b = button as {
    text: string;
    callback_data?: string;
    url?: string;
    web_app?: { url: string };
  };
  return {
    text: b.text,
    ...(b.callback_data === undefined ? {} : { callbackData: b.callback_data }),
    ...(b.url === undefined ? {} : { url: b.url }),
    ...(b.web_app === undefined ? {} : { webAppUrl: b.web_app.url }),
  };
}
