/** Stable codes of the bot's input errors, with what each means. */
export const GOBLIN_ERROR_CODES = {
  GOBLIN_PERIOD_INVALID: 'A period is not YYYY_MM with a month from 01 to 12.',
  GOBLIN_GROUP_TYPE_INVALID: 'A group type is neither regular nor plus.',
  GOBLIN_BALANCE_TOO_LOW: 'A purchase would make the balance negative.',
  GOBLIN_ALREADY_OWNED: 'The user already has this kickstarter or group.',
  GOBLIN_NOT_FOUND: 'A kickstarter, lot, month or user does not exist.',
  GOBLIN_LOT_INVALID: 'A lot breaks an invariant (price, currency, photos, link).',
  GOBLIN_LOT_JOINED: 'A user joins a lot twice.',
  GOBLIN_LOT_CLOSED: 'A lot is closed.',
  GOBLIN_FORBIDDEN: 'A command needs a role the user does not have.',
  GOBLIN_USAGE: 'A command was given the wrong arguments.',
  GOBLIN_NOT_REGISTERED: 'The user has not sent /start yet.',
} as const;

/** A stable input error code. */
export type GoblinErrorCode = keyof typeof GOBLIN_ERROR_CODES;

/**
 * Bad input from a user. Handlers throw it; the sessions and the bridge then write nothing
 * (a handler that throws leaves every session and row as it was), and the outermost
 * middleware replies with `message`.
 */
export class GoblinInputError extends Error {
  readonly code: GoblinErrorCode;

  constructor(code: GoblinErrorCode, message: string) {
    super(message);
    this.name = 'GoblinInputError';
    this.code = code;
  }
}

/** True for a {@link GoblinInputError}. */
export function isGoblinInputError(error: unknown): error is GoblinInputError {
  return error instanceof GoblinInputError;
}

/**
 * The bot's own code used its state wrongly (never the user's fault), code
 * `GOBLIN_STATE_MISUSE`: a lot read before it was locked, or after its update ended.
 */
export class GoblinStateError extends Error {
  readonly code = 'GOBLIN_STATE_MISUSE' as const;

  constructor(message: string) {
    super(message);
    this.name = 'GoblinStateError';
  }
}
