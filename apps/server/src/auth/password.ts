import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

/** scrypt cost: N=2^15, r=8, p=1 (~32 MB, tens of ms): slow for a guesser, fine for a login. */
export const PASSWORD_HASH_DEFAULTS = { N: 32_768, r: 8, p: 1, keyLength: 32 } as const;

function derive(password: string, salt: Buffer, options: ScryptOptions, length: number) {
  return new Promise<Buffer>((resolve, reject) =>
    scrypt(password, salt, length, { ...options, maxmem: 64 * 1024 * 1024 }, (error, key) =>
      error === null ? resolve(key) : reject(error),
    ),
  );
}

/**
 * Hash a password with scrypt: `scrypt$N$r$p$<salt b64>$<key b64>` (the parameters travel
 * with the hash, so they can be raised later without breaking old ones).
 */
export async function hashPassword(
  password: string,
  cost: { N: number; r: number; p: number } = PASSWORD_HASH_DEFAULTS,
): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, cost, PASSWORD_HASH_DEFAULTS.keyLength);
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64'), key.toString('base64')].join(
    '$',
  );
}

/** Whether `password` matches `stored` (constant-time compare); false for a malformed hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || salt === undefined || key === undefined) return false;
  const expected = Buffer.from(key, 'base64');
  if (expected.length === 0) return false;
  let actual: Buffer;
  try {
    actual = await derive(
      password,
      Buffer.from(salt, 'base64'),
      { N: Number(n), r: Number(r), p: Number(p) },
      expected.length,
    );
  } catch {
    return false; // parameters scrypt refuses: a corrupt hash matches nothing
  }
  return timingSafeEqual(actual, expected);
}
