import { randomBytes } from 'node:crypto';
import type { AdminAccounts } from '../auth/admin-accounts.ts';

/** How the first admin logs in, for the startup log. */
export interface FirstAdmin {
  readonly email: string;
  /** Set only when it was generated now: print it once. */
  readonly generatedPassword?: string;
  /** Whether `ADMIN_PASSWORD` was applied. */
  readonly fromEnvironment: boolean;
}

/**
 * Make sure the first admin exists: with `password` given it is (re)set to it; else an account
 * that does not exist yet gets a generated password, returned to be printed once.
 */
export async function ensureFirstAdmin(
  admins: AdminAccounts,
  email: string,
  password: string | undefined,
): Promise<FirstAdmin> {
  if (password !== undefined) {
    await admins.upsert(email, password, 'admin');
    return { email, fromEnvironment: true };
  }
  if (await admins.exists(email)) return { email, fromEnvironment: false };
  const generated = randomBytes(12).toString('base64url');
  await admins.upsert(email, generated, 'admin');
  return { email, generatedPassword: generated, fromEnvironment: false };
}
