import type { SqlClient } from '@hybridstate/core';
import { ExchangerError } from './exchanger-errors.ts';
import { verifyPassword } from './passwords.ts';

/**
 * Check an email and password against `identity.users`; returns the user id or throws
 * `EXCHANGER_LOGIN_FAILED` (the same answer, after the same work, for an unknown email).
 * `identity` is the quoted identity schema.
 */
export async function checkCredentials(
  sql: SqlClient,
  identity: string,
  email: string,
  password: string,
): Promise<string> {
  const [row] = await sql.query<{ id: string; password_hash: string | null }>(
    `SELECT id, password_hash FROM ${identity}.users WHERE email = $1`,
    [email.trim().toLowerCase()],
  );
  if (!(await verifyPassword(password, row?.password_hash ?? null)) || row === undefined)
    throw new ExchangerError('EXCHANGER_LOGIN_FAILED');
  return row.id;
}

/** `"name"`: a schema name as SQL (names come from configuration, never from requests). */
export function quoted(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
