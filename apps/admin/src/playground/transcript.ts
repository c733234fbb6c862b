import type { InlineButton, Reply } from '../api/types.ts';

/** One line of the playground chat. */
export interface ChatEntry {
  readonly id: number;
  /** `user`: what the test user sent; `bot`: a message; `notice`: a callback answer. */
  readonly from: 'user' | 'bot' | 'notice';
  readonly text: string;
  readonly edited?: boolean;
  readonly inlineKeyboard?: InlineButton[][];
}

let nextId = 1;

/** A chat entry for what the test user sent (a text or a pressed inline button). */
export function userEntry(text: string): ChatEntry {
  return { id: nextId++, from: 'user', text };
}

/** Chat entries for the bot's replies, in order. */
export function replyEntries(replies: readonly Reply[]): ChatEntry[] {
  return replies.flatMap((reply): ChatEntry[] => {
    if (reply.method === 'answerCallbackQuery')
      return reply.text ? [{ id: nextId++, from: 'notice', text: reply.text }] : [];
    return [
      {
        id: nextId++,
        from: 'bot',
        text: reply.text ?? '',
        ...(reply.method === 'editMessageText' ? { edited: true } : {}),
        ...(reply.inlineKeyboard ? { inlineKeyboard: reply.inlineKeyboard } : {}),
      },
    ];
  });
}

/** The reply keyboard Telegram would show now: the last one the bot sent. */
export function lastReplyKeyboard(replies: readonly Reply[], current: string[][] | null) {
  const withKeyboard = replies.filter((reply) => reply.replyKeyboard !== undefined);
  return withKeyboard.at(-1)?.replyKeyboard ?? current;
}
