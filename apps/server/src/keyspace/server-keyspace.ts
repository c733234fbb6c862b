import { isHybridStateError, KEYSPACE_DEFAULTS, Keyspace } from '@hybridstate/core';

/** The variable that sets the server's Redis key prefix (and PostgreSQL namespace prefix). */
export const KEY_PREFIX_VARIABLE = 'HS_KEY_PREFIX';

/**
 * The server's keyspace, its prefix read from `HS_KEY_PREFIX` (default `hs`) so several
 * deployments can share one Redis. The value is checked by `Keyspace` itself, so the rule is
 * the keyspace's; a bad value throws one line that names the variable.
 *
 * @example
 * ```ts
 * serverKeyspace({ HS_KEY_PREFIX: 'staging' }).prefix; // 'staging'
 * ```
 */
export function serverKeyspace(env: Readonly<Record<string, string | undefined>>): Keyspace {
  const value = env[KEY_PREFIX_VARIABLE]?.trim();
  const prefix = value === undefined || value === '' ? KEYSPACE_DEFAULTS.prefix : value;
  try {
    return new Keyspace({ prefix });
  } catch (error) {
    if (!isHybridStateError(error, 'HS_KEYSPACE_INVALID')) throw error;
    throw new Error(
      `${KEY_PREFIX_VARIABLE}="${prefix}" is not a valid key prefix (${error.message.replace(/\.$/, '')}): set it to a letter followed by up to 63 letters, digits, _ . or -, or unset it for the default "${KEYSPACE_DEFAULTS.prefix}".`,
      { cause: error },
    );
  }
}
