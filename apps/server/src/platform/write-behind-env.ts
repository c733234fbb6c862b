import { WRITE_BEHIND_DEFAULTS, type WriteBehindOptions } from '@hybridstate/core';

/** The variable that sets how often every instance flushes the write-behind journal. */
export const FLUSH_INTERVAL_VARIABLE = 'WRITE_BEHIND_FLUSH_INTERVAL_MS';

/**
 * The write-behind options the server reads from its environment: `WRITE_BEHIND_FLUSH_INTERVAL_MS`
 * (default 300000, seed 003's 5 minutes). Every instance drains every shard at this interval;
 * a shorter one narrows the window in which a buffered write lives only in Redis, for more
 * journal reads (16 shards per instance per interval).
 *
 * @example
 * ```ts
 * readWriteBehindEnv({ WRITE_BEHIND_FLUSH_INTERVAL_MS: '10000' }); // { flushIntervalMs: 10000 }
 * ```
 */
export function readWriteBehindEnv(
  env: Readonly<Record<string, string | undefined>>,
): Required<Pick<WriteBehindOptions, 'flushIntervalMs'>> {
  const raw = env[FLUSH_INTERVAL_VARIABLE]?.trim();
  if (raw === undefined || raw === '')
    return { flushIntervalMs: WRITE_BEHIND_DEFAULTS.flushIntervalMs };
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 100)
    throw new Error(
      `${FLUSH_INTERVAL_VARIABLE}="${raw}" is not a whole number of milliseconds of at least 100: set it to, say, 60000, or unset it for the default ${WRITE_BEHIND_DEFAULTS.flushIntervalMs}.`,
    );
  return { flushIntervalMs: value };
}
