import { randomBytes } from 'node:crypto';
import type { SqlClient } from '@hybridstate/core';
import type { AppStack } from '@hybridstate/identity';
import { PlatformError } from '../platform/platform-errors.ts';
import { ident } from '../platform/sql-ident.ts';
import type { AdminRole } from '../services/actor.ts';
import { hashPassword, verifyPassword } from './password.ts';

/** An admin account as the API shows it. */
export interface Admin {
  readonly id: string;
  readonly email: string;
  readonly role: AdminRole;
}

/** The data kept in an admin session. */
export interface AdminSessionData {
  readonly csrfToken: string;
  readonly email: string;
}

/** A signed-in admin: the account, its session id (the cookie) and its CSRF token. */
export interface AdminLogin {
  readonly admin: Admin;
  readonly sessionId: string;
  readonly csrfToken: string;
}

// A hash of a random password: an unknown email costs one scrypt too (no timing oracle).
const DUMMY_HASH = hashPassword(randomBytes(16).toString('hex'));

/**
 * Admin accounts are identity users with the permission `admin` or `viewer` in the `admin`
 * context; their sessions are that context's identity sessions, which no other application
 * can read. Passwords are scrypt hashes.
 */
export class AdminAccounts {
  readonly #stack: AppStack;
  readonly #sql: SqlClient;
  readonly #users: string;

  constructor(stack: AppStack, sql: SqlClient, identitySchema: string) {
    this.#stack = stack;
    this.#sql = sql;
    this.#users = `${ident(identitySchema)}.users`;
  }

  /** Create an account (or give an existing one a new password and role). */
  async upsert(email: string, password: string, role: AdminRole): Promise<Admin> {
    const hash = await hashPassword(password);
    const [row] = await this.#sql.query<{ id: string }>(
      `INSERT INTO ${this.#users} (email, password_hash, email_verified) VALUES ($1, $2, true)
       ON CONFLICT (email) DO UPDATE SET password_hash = EXCLUDED.password_hash RETURNING id`,
      [email.toLowerCase(), hash],
    );
    const id = row!.id;
    for (const other of ['admin', 'viewer'] as const)
      if (other !== role) await this.#stack.users.revoke(id, other);
    await this.#stack.users.grant(id, role);
    return { id, email: email.toLowerCase(), role };
  }

  /** Whether an account with this email exists. */
  async exists(email: string): Promise<boolean> {
    const rows = await this.#sql.query(`SELECT 1 FROM ${this.#users} WHERE email = $1`, [
      email.toLowerCase(),
    ]);
    return rows.length > 0;
  }

  /** Sign in: 401 INVALID_CREDENTIALS for a wrong password or an unknown email alike. */
  async login(email: string, password: string): Promise<AdminLogin> {
    const [row] = await this.#sql.query<{ id: string; password_hash: string | null }>(
      `SELECT id, password_hash FROM ${this.#users} WHERE email = $1`,
      [email.toLowerCase()],
    );
    const ok = await verifyPassword(password, row?.password_hash ?? (await DUMMY_HASH));
    const admin = ok && row !== undefined ? await this.admin(row.id) : null;
    if (admin === null) throw new PlatformError('INVALID_CREDENTIALS', 'Wrong email or password.');
    const csrfToken = randomBytes(24).toString('base64url');
    const issued = await this.#stack.sessions.create(admin.id, { csrfToken, email: admin.email });
    return { admin, sessionId: issued.id, csrfToken };
  }

  /** The admin and CSRF token behind a session id, or null (unknown, expired, revoked, no role). */
  async fromSession(sessionId: unknown): Promise<{ admin: Admin; csrfToken: string } | null> {
    if (typeof sessionId !== 'string' || sessionId === '') return null;
    const session = await this.#stack.sessions.touch(sessionId);
    if (session === null) return null;
    const admin = await this.admin(session.userId);
    const data = session.data as unknown as AdminSessionData;
    return admin === null ? null : { admin, csrfToken: data.csrfToken };
  }

  /** End a session. */
  async logout(sessionId: unknown): Promise<void> {
    await this.#stack.sessions.delete(sessionId);
  }

  /** The account with its role in the admin context, or null when it has none. */
  async admin(userId: string): Promise<Admin | null> {
    const user = await this.#stack.users.get(userId);
    if (user === null) return null;
    const role = user.permissions.includes('admin')
      ? 'admin'
      : user.permissions.includes('viewer')
        ? 'viewer'
        : null;
    return role === null ? null : { id: user.id, email: user.email, role };
  }
}
