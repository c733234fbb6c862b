import { createHash, timingSafeEqual } from 'node:crypto';
import { TelegramError } from '../errors.ts';

/** The header Telegram sends with every webhook request when a secret token was set. */
export const WEBHOOK_SECRET_HEADER = 'x-telegram-bot-api-secret-token';

const SECRET = /^[A-Za-z0-9_-]{1,256}$/;

/**
 * A check of the `X-Telegram-Bot-Api-Secret-Token` header against the secret given to
 * `setWebhook`, in constant time (both sides are hashed first, so neither the content nor the
 * length of the secret leaks through timing).
 *
 * @example
 * ```ts
 * const checkSecret = webhookSecretChecker(config.webhookSecret);
 * app.post('/telegram', (req, reply) => {
 *   if (!checkSecret(req.headers[WEBHOOK_SECRET_HEADER])) return reply.code(401).send();
 * });
 * ```
 */
export function webhookSecretChecker(
  secret: string,
): (header: string | string[] | undefined) => boolean {
  if (!SECRET.test(secret)) {
    throw new TelegramError(
      'HS_WEBHOOK_SECRET_INVALID',
      'The webhook secret must be 1-256 characters of A-Z, a-z, 0-9, _ and - (Telegram refuses others in setWebhook).',
    );
  }
  const expected = digest(secret);
  return (header) => typeof header === 'string' && timingSafeEqual(digest(header), expected);
}

/** Throw `HS_WEBHOOK_SECRET_INVALID` unless the header carries the secret. */
export function assertWebhookSecret(header: string | string[] | undefined, secret: string): void {
  if (!webhookSecretChecker(secret)(header)) {
    throw new TelegramError(
      'HS_WEBHOOK_SECRET_INVALID',
      'The webhook request has no valid X-Telegram-Bot-Api-Secret-Token: it did not come from Telegram (or the secret changed). Answer 401.',
    );
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
