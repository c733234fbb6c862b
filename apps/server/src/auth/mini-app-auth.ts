import { isHybridStateError } from '@hybridstate/core';
import { type InitData, verifyInitData } from '@hybridstate/telegram';
import { PlatformError } from '../platform/platform-errors.ts';

/**
 * Verify a Mini App's `Authorization: tma <initData>` header with the bot token (or the
 * playground secret): 401 INIT_DATA_INVALID unless it is signed, at most 24 h old and names a
 * user.
 */
export function verifyMiniAppHeader(
  header: string | undefined,
  secret: string,
): InitData & { user: NonNullable<InitData['user']> } {
  if (header === undefined || !header.startsWith('tma '))
    throw new PlatformError(
      'INIT_DATA_INVALID',
      'Send Telegram\'s initData as "Authorization: tma <initData>".',
    );
  let data: InitData;
  try {
    data = verifyInitData(header.slice(4), secret);
  } catch (error) {
    if (!isHybridStateError(error)) throw error;
    throw new PlatformError('INIT_DATA_INVALID', error.message, undefined, error);
  }
  if (data.user === undefined)
    throw new PlatformError(
      'INIT_DATA_INVALID',
      'The initData names no user: open the Mini App from the bot.',
    );
  return data as InitData & { user: NonNullable<InitData['user']> };
}
