import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

const KEY_BYTES = 32;

function derive(password: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, KEY_BYTES, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

/**
 * Hash a password for `identity.users.password_hash`: `scrypt$<salt>$<key>` (base64url).
 *
 * @example
 * ```ts
 * const stored = await hashPassword('correct horse');
 * await verifyPassword('correct horse', stored); // true
 * ```
 */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt);
  return `scrypt$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/** True when `password` matches a {@link hashPassword} result (constant-time comparison). */
export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  const [scheme, salt, key] = (stored ?? '').split('$');
  if (scheme !== 'scrypt' || salt === undefined || key === undefined) {
    await derive(password, randomBytes(16)); // same work whether or not the user exists
    return false;
  }
  const expected = Buffer.from(key, 'base64url');
  const actual = await derive(password, Buffer.from(salt, 'base64url'));
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
