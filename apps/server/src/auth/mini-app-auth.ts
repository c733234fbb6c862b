import { isHybridStateError } from '@hybridstate/core';
import { INIT_DATA_DEFAULTS, type InitDataUser, verifyInitData } from '@hybridstate/telegram';
import { PlatformError } from '../platform/platform-errors.ts';

/** Most verified initData strings remembered (a Mini App sends the same one on every call). */
export const VERIFIED_INIT_DATA_CAPACITY = 10_000;

interface Verified {
  readonly user: InitDataUser;
  /** When `auth_date` gets too old: verify (and refuse) again from then on. */
  readonly expiresAt: number;
}

/**
 * Verifies a Mini App's `Authorization: tma <initData>` header with the bot token (or the
 * playground secret): 401 INIT_DATA_INVALID unless it is signed, at most 24 h old and names a
 * user. A Mini App repeats the same initData on every request, so a verified string is
 * remembered until it expires (only exact, already verified strings are: nothing forged can
 * hit the memory).
 */
export class MiniAppAuth {
  readonly #secret: string;
  readonly #verified = new Map<string, Verified>();

  constructor(secret: string) {
    this.#secret = secret;
  }

  /** The Telegram user of a valid header, else `INIT_DATA_INVALID`. */
  verify(header: string | undefined): InitDataUser {
    if (header === undefined || !header.startsWith('tma '))
      throw new PlatformError(
        'INIT_DATA_INVALID',
        'Send Telegram\'s initData as "Authorization: tma <initData>".',
      );
    const raw = header.slice(4);
    const known = this.#verified.get(raw);
    if (known !== undefined && known.expiresAt > Date.now()) return known.user;
    const verified = this.#check(raw);
    this.#remember(raw, verified);
    return verified.user;
  }

  #check(raw: string): Verified {
    try {
      const data = verifyInitData(raw, this.#secret);
      if (data.user === undefined)
        throw new PlatformError(
          'INIT_DATA_INVALID',
          'The initData names no user: open the Mini App from the bot.',
        );
      const expiresAt = data.authDate.getTime() + INIT_DATA_DEFAULTS.maxAgeMs;
      return { user: data.user, expiresAt };
    } catch (error) {
      if (!isHybridStateError(error)) throw error;
      throw new PlatformError('INIT_DATA_INVALID', error.message, undefined, error);
    }
  }

  #remember(raw: string, verified: Verified): void {
    this.#verified.delete(raw);
    if (this.#verified.size >= VERIFIED_INIT_DATA_CAPACITY) {
      const oldest = this.#verified.keys().next().value;
      if (oldest !== undefined) this.#verified.delete(oldest);
    }
    this.#verified.set(raw, verified);
  }
}
