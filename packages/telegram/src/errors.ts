import { HybridStateError } from '@hybridstate/core';

/** Stable codes of @hybridstate/telegram errors, with when each is thrown. */
export const TELEGRAM_ERROR_CODES = {
  HS_SESSION_NO_KEY:
    'A session was read or written on an update that has no key for its scope (a poll answer has no chat).',
  HS_SESSION_INVALID: 'A session definition is invalid.',
  HS_WEBHOOK_SECRET_INVALID:
    'A webhook request carried a missing or wrong X-Telegram-Bot-Api-Secret-Token.',
  HS_INIT_DATA_INVALID: 'Mini App initData is malformed, forged or too old.',
} as const;

/** A stable @hybridstate/telegram error code. */
export type TelegramErrorCode = keyof typeof TELEGRAM_ERROR_CODES;

const NAMES: Record<TelegramErrorCode, string> = {
  HS_SESSION_NO_KEY: 'SessionKeyError',
  HS_SESSION_INVALID: 'SessionDefinitionError',
  HS_WEBHOOK_SECRET_INVALID: 'WebhookSecretError',
  HS_INIT_DATA_INVALID: 'InitDataError',
};

/** Errors of @hybridstate/telegram: a {@link HybridStateError} with a telegram code. */
export class TelegramError extends HybridStateError<TelegramErrorCode> {
  constructor(code: TelegramErrorCode, message: string, context: Record<string, unknown> = {}) {
    super(code, message, { context, name: NAMES[code] });
  }
}
