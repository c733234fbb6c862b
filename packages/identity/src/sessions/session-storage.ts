import { decodeValue, encodeValue, type Family, type SqlClient } from '@hybridstate/core';
import { SESSION_TTL_MS } from '../contexts/identity-families.ts';
import { FINAL_VERSION, type VersionedCopies } from '../redis/versioned-copies.ts';
import { userNotFound } from '../users/user-errors.ts';
import { isUserId } from '../users/user-id.ts';
import type { IssuedSession, Session, SessionRow } from './session.ts';
import { hashSessionId, newSessionId } from './session-id.ts';

/** Options of {@link SessionStorage}. */
export interface SessionStorageOptions {
  /** Lifetime of a session, renewed by {@link SessionStorage.touch}. @default 24 hours */
  readonly ttlMs?: number;
  /** `touch` writes only when it would move the expiry by more than this. @default 5 minutes */
  readonly touchIntervalMs?: number;
}

/** Defaults of {@link SessionStorageOptions}. */
export const SESSION_STORAGE_DEFAULTS = {
  ttlMs: SESSION_TTL_MS,
  touchIntervalMs: 300_000,
} as const;

/** What a stack gives its session storage: everything is bound to one context. */
export interface SessionStorageDeps {
  readonly context: string;
  readonly sql: SqlClient;
  /** The `identity` schema, quoted. */
  readonly table: string;
  readonly family: Family<'identity:session:x:{idHash}'>;
  readonly copies: VersionedCopies;
}

const COLUMNS = 'user_id, session_data::text AS session_data, version, expires_at';

/**
 * Seed 001's two-tier session storage, bound to one application context: PostgreSQL is the
 * truth, Redis holds a 24 h copy. Ids are 256 random bits; both tiers know only their SHA-256,
 * and the context is in every Redis key and every `WHERE`. Any presented id that is not a
 * live session of this context (forged, malformed, expired, revoked, another context's) gives
 * `null` after the same work: one hash, one Redis GET, one indexed SELECT.
 *
 * @example
 * ```ts
 * const { id } = await stack.sessions.create(user.id, { theme: 'dark' });
 * const session = await stack.sessions.get(id); // null in any other context
 * ```
 */
export class SessionStorage<D = Record<string, unknown>> {
  /** The application context every call is bound to. */
  readonly context: string;
  readonly #deps: SessionStorageDeps;
  readonly #options: Required<SessionStorageOptions>;

  constructor(deps: SessionStorageDeps, options: SessionStorageOptions = {}) {
    this.context = deps.context;
    this.#deps = deps;
    this.#options = { ...SESSION_STORAGE_DEFAULTS, ...options };
  }

  /** Create a session (PostgreSQL first, then the Redis copy). Throws `HS_USER_NOT_FOUND`. */
  async create(userId: string, data: D, ttlMs = this.#options.ttlMs): Promise<IssuedSession<D>> {
    if (!isUserId(userId)) throw userNotFound(undefined, userId);
    const id = newSessionId();
    const hash = hashSessionId(id);
    const row = await this.#insert(hash, userId, encodeValue(data), ttlMs);
    return { id, session: await this.#cache(hash, row) };
  }

  /** The live session with this id in this context, else `null`. Never throws for a bad id. */
  get(id: unknown): Promise<Session<D> | null> {
    return this.#get(hashSessionId(id));
  }

  async #get(hash: string): Promise<Session<D> | null> {
    const key = this.#key(hash);
    const copy = await this.#deps.copies.get(key);
    if (copy !== undefined) return copy.payload === null ? null : this.#fromCopy(copy.payload);
    const rows = await this.#deps.sql.query<SessionRow>(
      `SELECT ${COLUMNS} FROM ${this.#deps.table} WHERE id_hash = decode($1, 'hex') AND application_context = $2 AND expires_at > now()`,
      [hash, this.context],
      'hs_identity_session_get',
    );
    return rows[0] === undefined ? null : this.#cache(hash, rows[0]);
  }

  /**
   * Sliding expiry: push the session's end to `ttlMs` from now. Cheap to call on every
   * request: it writes only when the end would move by more than `touchIntervalMs`.
   */
  async touch(id: unknown): Promise<Session<D> | null> {
    const hash = hashSessionId(id);
    const session = await this.#get(hash);
    if (session === null) return null;
    const expiresAt = Date.now() + this.#options.ttlMs;
    if (expiresAt - session.expiresAt.getTime() < this.#options.touchIntervalMs) return session;
    return this.#change(hash, 'expires_at = $3', [new Date(expiresAt)]);
  }

  /** Replace the session's data. Returns the session, or `null` when there is none. */
  async setData(id: unknown, data: D): Promise<Session<D> | null> {
    return this.#change(hashSessionId(id), 'session_data = $3::jsonb', [encodeValue(data)]);
  }

  /** Delete from both tiers (logout). Returns whether a session was deleted. */
  async delete(id: unknown): Promise<boolean> {
    const hash = hashSessionId(id);
    const rows = await this.#deps.sql.query(
      `DELETE FROM ${this.#deps.table} WHERE id_hash = decode($1, 'hex') AND application_context = $2 RETURNING 1`,
      [hash, this.context],
    );
    await this.#revokeCopy(hash);
    return rows.length > 0;
  }

  /** Revoke every session of a user in this context. Returns how many there were. */
  async revokeAll(userId: string): Promise<number> {
    if (!isUserId(userId)) return 0;
    const rows = await this.#deps.sql.query<{ id_hash: string }>(
      `DELETE FROM ${this.#deps.table} WHERE user_id = $1 AND application_context = $2 RETURNING encode(id_hash, 'hex') AS id_hash`,
      [userId, this.context],
    );
    await Promise.all(rows.map((row) => this.#revokeCopy(row.id_hash)));
    return rows.length;
  }

  /**
   * Replace a session's id (after login or a privilege change) keeping its data; the old id
   * stops working at once. Returns the new id, or `null` when the old one was not live.
   */
  async rotate(id: unknown): Promise<IssuedSession<D> | null> {
    const oldHash = hashSessionId(id);
    const newId = newSessionId();
    const newHash = hashSessionId(newId);
    const row = await this.#deps.sql.transaction(async (tx) => {
      const [old] = await tx.query<SessionRow>(
        `DELETE FROM ${this.#deps.table} WHERE id_hash = decode($1, 'hex') AND application_context = $2 AND expires_at > now() RETURNING ${COLUMNS}`,
        [oldHash, this.context],
      );
      if (old === undefined) return undefined;
      const expiresAt = new Date(Date.now() + this.#options.ttlMs);
      const [fresh] = await tx.query<SessionRow>(
        `INSERT INTO ${this.#deps.table} (id_hash, user_id, application_context, session_data, expires_at) VALUES (decode($1, 'hex'), $2, $3, $4::jsonb, $5) RETURNING ${COLUMNS}`,
        [newHash, old.user_id, this.context, old.session_data, expiresAt],
      );
      return fresh;
    });
    await this.#revokeCopy(oldHash);
    if (row === undefined) return null;
    return { id: newId, session: await this.#cache(newHash, row) };
  }

  /** Delete expired rows of this context, `batch` at a time. Returns how many. */
  async sweepExpired(batch = 1000): Promise<number> {
    let total = 0;
    for (;;) {
      const rows = await this.#deps.sql.query(
        `DELETE FROM ${this.#deps.table} WHERE id_hash IN (SELECT id_hash FROM ${this.#deps.table} WHERE application_context = $1 AND expires_at <= now() LIMIT $2 FOR UPDATE SKIP LOCKED) RETURNING 1`,
        [this.context, batch],
      );
      total += rows.length;
      if (rows.length < batch) return total;
    }
  }

  async #insert(hash: string, userId: string, data: string, ttlMs: number): Promise<SessionRow> {
    try {
      const [row] = await this.#deps.sql.query<SessionRow>(
        `INSERT INTO ${this.#deps.table} (id_hash, user_id, application_context, session_data, expires_at) VALUES (decode($1, 'hex'), $2, $3, $4::jsonb, $5) RETURNING ${COLUMNS}`,
        [hash, userId, this.context, data, new Date(Date.now() + ttlMs)],
      );
      return row!;
    } catch (error) {
      throw userNotFound(error, userId) ?? error;
    }
  }

  async #change(hash: string, set: string, params: unknown[]): Promise<Session<D> | null> {
    const [row] = await this.#deps.sql.query<SessionRow>(
      `UPDATE ${this.#deps.table} SET ${set}, version = version + 1, updated_at = now() WHERE id_hash = decode($1, 'hex') AND application_context = $2 AND expires_at > now() RETURNING ${COLUMNS}`,
      [hash, this.context, ...params],
    );
    return row === undefined ? null : this.#cache(hash, row);
  }

  /** Store the Redis copy of a row (unless a newer one is there) and return the session. */
  async #cache(hash: string, row: SessionRow): Promise<Session<D>> {
    const expiresAt = new Date(row.expires_at).getTime();
    const payload = `${row.user_id}|${expiresAt}|${row.session_data as string}`;
    const ttlMs = Math.min(expiresAt - Date.now(), SESSION_TTL_MS);
    if (ttlMs > 0)
      await this.#deps.copies.put(this.#key(hash), Number(row.version), payload, ttlMs);
    return this.#session(row.user_id, expiresAt, row.session_data as string);
  }

  #fromCopy(payload: string): Session<D> | null {
    const first = payload.indexOf('|');
    const second = payload.indexOf('|', first + 1);
    const expiresAt = Number(payload.slice(first + 1, second));
    if (expiresAt <= Date.now()) return null;
    return this.#session(payload.slice(0, first), expiresAt, payload.slice(second + 1));
  }

  #session(userId: string, expiresAt: number, data: string): Session<D> {
    return {
      userId,
      context: this.context,
      data: decodeValue(data, `identity session of user ${userId}`) as D,
      expiresAt: new Date(expiresAt),
    };
  }

  /** A tombstone nothing can overwrite: a reader that loaded the row just before cannot revive it. */
  async #revokeCopy(hash: string): Promise<void> {
    await this.#deps.copies.put(this.#key(hash), FINAL_VERSION, null, SESSION_TTL_MS);
  }

  #key(hash: string): string {
    return this.#deps.family.key({ idHash: hash }).redisKey;
  }
}
