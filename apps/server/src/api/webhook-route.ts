import { isHybridStateError } from '@hybridstate/core';
import { WEBHOOK_SECRET_HEADER, webhookSecretChecker } from '@hybridstate/telegram';
import type { FastifyInstance } from 'fastify';
import { BotError } from 'grammy';
import type { Update } from 'grammy/types';
import type { Platform } from '../platform/platform.ts';
import { PlatformError } from '../platform/platform-errors.ts';

/** Errors after which a redelivered update can succeed. */
const TRANSIENT = ['HS_TIER_UNAVAILABLE', 'HS_LOCK_TIMEOUT', 'HS_LOCK_LOST'] as const;

/** The path Telegram posts updates to in webhook mode. */
export const WEBHOOK_PATH = '/telegram/webhook';

/**
 * `POST /telegram/webhook`: checks `X-Telegram-Bot-Api-Secret-Token` (401 otherwise), then
 * hands the update to the bot and answers 200 once it is handled (503 while the bot is not
 * initialised yet, so Telegram delivers it again).
 */
export function webhookRoute(app: FastifyInstance, platform: Platform, secret: string): void {
  const check = webhookSecretChecker(secret);
  app.post(WEBHOOK_PATH, async (request, reply) => {
    if (!check(request.headers[WEBHOOK_SECRET_HEADER]))
      throw new PlatformError('WEBHOOK_SECRET_INVALID', 'This request did not come from Telegram.');
    const update = request.body as Update | undefined;
    if (update === null || typeof update !== 'object' || typeof update.update_id !== 'number')
      throw new PlatformError('VALIDATION_FAILED', 'The body is not a Telegram update.');
    // A starting instance listens before its bot is initialised (getMe); a load balancer may
    // already send it updates. 503 makes Telegram deliver the update again instead of a 500.
    if (!platform.bot.isInited())
      return reply.code(503).send({
        error: { code: 'UNAVAILABLE', message: 'The bot is starting; deliver the update again.' },
      });
    try {
      await platform.bot.handleUpdate(update);
    } catch (error) {
      // A Redis or lock hiccup (a command timeout on a loaded node, a failover, a lease lost
      // to another instance) is transient: 503 says so, and Telegram delivers the update again.
      const cause = error instanceof BotError ? error.error : error;
      if (TRANSIENT.some((code) => isHybridStateError(cause, code))) {
        request.log.warn({ err: cause }, 'webhook update not handled; Telegram will redeliver it');
        return reply.code(503).send({
          error: { code: 'UNAVAILABLE', message: 'Not handled now; deliver the update again.' },
        });
      }
      throw cause;
    }
    return reply.code(200).send({ ok: true });
  });
}
