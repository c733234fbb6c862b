import { createHmac, timingSafeEqual } from 'node:crypto';
import { TelegramError } from '../errors.ts';

/** The Telegram user a Mini App was opened by. */
export interface InitDataUser {
  readonly id: number;
  readonly first_name: string;
  readonly last_name?: string;
  readonly username?: string;
  readonly language_code?: string;
  readonly is_premium?: boolean;
  readonly photo_url?: string;
}

/** Verified Mini App launch data. */
export interface InitData {
  readonly user: InitDataUser | undefined;
  readonly authDate: Date;
  readonly queryId: string | undefined;
  readonly startParam: string | undefined;
  readonly chatType: string | undefined;
  readonly chatInstance: string | undefined;
  /** Every field as received (strings), `hash` included. */
  readonly fields: Readonly<Record<string, string>>;
}

/** Options of {@link verifyInitData}. */
export interface VerifyInitDataOptions {
  /** Oldest accepted `auth_date`, in ms. @default 86_400_000 (24 hours) */
  readonly maxAgeMs?: number;
  /** Current time (tests). @default Date.now() */
  readonly now?: number;
}

/** Defaults of {@link VerifyInitDataOptions}. */
export const INIT_DATA_DEFAULTS = { maxAgeMs: 86_400_000 } as const;

/**
 * Verify `Telegram.WebApp.initData` as Telegram specifies: the data-check-string is every field
 * but `hash`, sorted by name, `name=value` joined by newlines; the secret key is
 * HMAC-SHA256(key "WebAppData", message bot token); the hash is HMAC-SHA256 of the
 * data-check-string with that key. Compared in constant time; `auth_date` must be recent.
 * Pass the raw query string exactly as the Mini App sent it.
 *
 * @example
 * ```ts
 * const { user } = verifyInitData(request.headers.authorization.slice('tma '.length), botToken);
 * ```
 */
export function verifyInitData(
  raw: string,
  botToken: string,
  options: VerifyInitDataOptions = {},
): InitData {
  const fields = parseFields(raw);
  const hash = fields.hash;
  if (hash === undefined || !/^[0-9a-f]{64}$/.test(hash))
    throw invalid('it has no hash, or the hash is not 64 hex characters');
  const dataCheckString = Object.keys(fields)
    .filter((name) => name !== 'hash')
    .sort()
    .map((name) => `${name}=${fields[name]}`)
    .join('\n');
  const secret = createHmac('sha256', 'WebAppData').update(botToken).digest();
  const expected = createHmac('sha256', secret).update(dataCheckString).digest();
  if (!timingSafeEqual(expected, Buffer.from(hash, 'hex')))
    throw invalid(
      "the hash does not match: it was not signed with this bot's token, or a field was changed",
    );
  const authDate = parseAuthDate(fields.auth_date, options);
  return {
    user: parseUser(fields.user),
    authDate,
    queryId: fields.query_id,
    startParam: fields.start_param,
    chatType: fields.chat_type,
    chatInstance: fields.chat_instance,
    fields,
  };
}

function parseFields(raw: string): Record<string, string> {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > 16_384)
    throw invalid('it is empty, not a string, or longer than 16 kB');
  const fields: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(raw)) {
    if (Object.hasOwn(fields, name)) throw invalid(`the field "${name}" appears twice`);
    fields[name] = value;
  }
  return fields;
}

function parseAuthDate(value: string | undefined, options: VerifyInitDataOptions): Date {
  const seconds = Number(value);
  if (value === undefined || !/^\d{1,12}$/.test(value))
    throw invalid('auth_date is missing or not a Unix time');
  const age = (options.now ?? Date.now()) - seconds * 1000;
  const maxAgeMs = options.maxAgeMs ?? INIT_DATA_DEFAULTS.maxAgeMs;
  if (age > maxAgeMs)
    throw invalid(
      `it is ${Math.round(age / 1000)} s old; the limit is ${Math.round(maxAgeMs / 1000)} s (reopen the Mini App)`,
    );
  if (age < -60_000) throw invalid('auth_date is in the future');
  return new Date(seconds * 1000);
}

function parseUser(value: string | undefined): InitDataUser | undefined {
  if (value === undefined) return undefined;
  let user: unknown;
  try {
    user = JSON.parse(value);
  } catch {
    throw invalid('the user field is not JSON');
  }
  const candidate = user as Partial<InitDataUser> | null;
  if (
    candidate === null ||
    typeof candidate !== 'object' ||
    !Number.isSafeInteger(candidate.id) ||
    typeof candidate.first_name !== 'string'
  ) {
    throw invalid('the user field has no numeric id and first_name');
  }
  return candidate as InitDataUser;
}

function invalid(why: string): TelegramError {
  return new TelegramError('HS_INIT_DATA_INVALID', `Mini App initData refused: ${why}.`);
}

/**
 * Sign initData for a test user with a bot token: what the bot playground and tests use to open
 * the Mini App outside Telegram. Never expose it to clients.
 */
export function signInitData(fields: Record<string, string>, botToken: string): string {
  const dataCheckString = Object.keys(fields)
    .sort()
    .map((name) => `${name}=${fields[name]}`)
    .join('\n');
  const secret = createHmac('sha256', 'WebAppData').update(botToken).digest();
  const hash = createHmac('sha256', secret).update(dataCheckString).digest('hex');
  return new URLSearchParams({ ...fields, hash }).toString();
}
