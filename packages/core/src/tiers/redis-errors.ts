import { HybridStateError, hsError } from '../errors.ts';
import type { KeyRef } from '../keyspace/family.ts';

/**
 * A Redis client failure as a typed error: WRONGTYPE means a foreign value sits on `ref`'s
 * key (`HS_CORRUPT_VALUE`), a script's own error passes through, anything else is
 * `HS_TIER_UNAVAILABLE`.
 */
export function toTierError(error: unknown, ref?: KeyRef): Error {
  if (error instanceof HybridStateError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (message.startsWith('WRONGTYPE')) {
    return hsError(
      'HS_CORRUPT_VALUE',
      `Redis key "${ref?.redisKey}" holds a value of another type: something outside hybridstate wrote it. Delete the key.`,
      { key: ref?.redisKey },
      error,
    );
  }
  if (message.includes('Error running script') || message.includes('ERR user_script'))
    return error as Error;
  return hsError(
    'HS_TIER_UNAVAILABLE',
    `Redis is unavailable: ${message}. Check REDIS_URL (or REDIS_PUBLIC_URL, REDISHOST...) and that Redis is running.`,
    { tier: 'redis' },
    error,
  );
}
