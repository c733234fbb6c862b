import { hash, randomBytes } from 'node:crypto';

/** Bytes of randomness in a session id: 256 bits, twice the 128 the issue asks for. */
export const SESSION_ID_BYTES = 32;

/** A new session id: 32 random bytes, base64url (43 characters). */
export function newSessionId(): string {
  return randomBytes(SESSION_ID_BYTES).toString('base64url');
}

/**
 * SHA-256 of a presented id, as 64 hex digits. Every presented value is hashed the same way, well-formed or
 * not (forged, `:`/`*`, unicode, 10 kB), and only the hash is ever looked up, in Redis and in
 * PostgreSQL: no comparison of secrets in JavaScript, and nothing a caller sends reaches a key
 * or a query unescaped. A non-string hashes as the empty string, which no session has.
 */
export function hashSessionId(id: unknown): string {
  return hash('sha256', typeof id === 'string' ? id : '', 'hex');
}
