import { IdentityError } from '../errors.ts';

const FOREIGN_KEY_VIOLATION = '23503';
const INVALID_TEXT_REPRESENTATION = '22P02';
const UNIQUE_VIOLATION = '23505';

/**
 * `HS_USER_NOT_FOUND` when `error` is PostgreSQL refusing an unknown or malformed user id
 * (or, with no error, for an id already known to be malformed).
 */
export function userNotFound(error: unknown, userId: string): IdentityError | undefined {
  const code = error === undefined ? FOREIGN_KEY_VIOLATION : sqlState(error);
  if (code !== FOREIGN_KEY_VIOLATION && code !== INVALID_TEXT_REPRESENTATION) return undefined;
  return new IdentityError(
    'HS_USER_NOT_FOUND',
    `No user with id "${String(userId).slice(0, 80)}" in the identity schema: create the user first.`,
    { cause: error, context: { userId: String(userId).slice(0, 80) } },
  );
}

/** `HS_USER_EXISTS` when `error` is PostgreSQL refusing a second user with one email. */
export function userExists(error: unknown, email: string): IdentityError | undefined {
  if (sqlState(error) !== UNIQUE_VIOLATION) return undefined;
  return new IdentityError(
    'HS_USER_EXISTS',
    `A user with email "${email.slice(0, 120)}" already exists: sign them in, or use another email.`,
    { cause: error, context: { email: email.slice(0, 120) } },
  );
}

function sqlState(error: unknown): string | undefined {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined; e; ) {
    if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) return e.code;
    e = e.cause as typeof e;
  }
  return undefined;
}
