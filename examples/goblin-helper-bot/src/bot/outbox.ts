import type { Context, MiddlewareFn } from 'telegraf';
import { isGoblinInputError } from '../errors.ts';

/** A reply waiting for the update's state to be saved. */
type Pending = () => Promise<unknown>;

/** What the outbox adds to the context. */
export interface OutboxFlavor {
  readonly outbox: Pending[];
}

/**
 * Queue a reply; it is sent once the sessions and the bridge have saved this update's changes.
 * So no lock is held while Telegram answers, and nobody is told "done" about a write that then
 * failed.
 */
export function reply(ctx: Context & OutboxFlavor, text: string): void {
  ctx.outbox.push(() => ctx.reply(text));
}

/**
 * Outermost middleware. After the handlers (and the sessions' and the bridge's writes, which
 * sit inside it) it sends the queued replies. A handler that throws a `GoblinInputError` gets
 * its message as the only reply: the sessions and the bridge have written nothing (a handler
 * that throws leaves every session and row as it was) and the queued replies are dropped.
 */
export function outbox(): MiddlewareFn<Context> {
  return async (ctx, next) => {
    const pending: Pending[] = [];
    Object.assign(ctx, { outbox: pending });
    try {
      await next();
    } catch (error) {
      if (!isGoblinInputError(error)) throw error;
      if (ctx.chat !== undefined) await ctx.reply(error.message);
      return;
    }
    for (const send of pending) await send();
  };
}
