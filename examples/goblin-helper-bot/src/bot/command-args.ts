import type { Context } from 'telegraf';
import { GoblinInputError } from '../errors.ts';

/** The words after a command (`/buy 3` -> `['3']`). */
export function commandArgs(ctx: Context): string[] {
  const text = ctx.text ?? '';
  return text
    .split(/\s+/)
    .slice(1)
    .filter((w) => w !== '');
}

/** A whole number >= 0 from an argument, or a usage reply. */
export function wholeNumber(text: string | undefined, usage: string): number {
  if (text === undefined || !/^\d{1,9}$/.test(text))
    throw new GoblinInputError('GOBLIN_USAGE', usage);
  return Number(text);
}

/** A Telegram user id from an argument, or a usage reply. */
export function userId(text: string | undefined, usage: string): number {
  if (text === undefined || !/^\d{1,15}$/.test(text))
    throw new GoblinInputError('GOBLIN_USAGE', usage);
  return Number(text);
}

/** The session value of a lazy session, which its `initial` guarantees. */
export async function must<V>(
  value: Promise<V | null | undefined> | V | null | undefined,
): Promise<V> {
  const v = await value;
  if (v === null || v === undefined) throw new Error('a session with an initial value was empty');
  return v;
}
