import type { Context, MiddlewareFn } from 'telegraf';
import { isGoblinInputError } from '../errors.ts';

/**
 * Outermost middleware: a handler that throws a `GoblinInputError` gets its message as the
 * reply. It sits before the sessions and the bridge, so by the time the reply is sent they
 * have already written nothing (a throwing handler leaves every session and row as it was).
 */
export function replyOnInputError(): MiddlewareFn<Context> {
  return async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      if (!isGoblinInputError(error)) throw error;
      if (ctx.chat !== undefined) await ctx.reply(error.message);
    }
  };
}
