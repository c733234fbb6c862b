import { z } from 'zod';
import type { EventPublisher } from '../platform/event-publisher.ts';
import { type Page, type PlatformDb, queryPage } from '../platform/platform-db.ts';
import { notFound } from '../platform/platform-errors.ts';
import { ReadCache } from '../platform/read-cache.ts';
import { validate } from '../platform/validate.ts';
import type { Actor } from './actor.ts';
import type { AuditLog } from './audit-log.ts';
import { type LedgerEntry, toLedgerEntry, toUser, type User } from './users.ts';

/** A Telegram user as an update or initData names them. */
export interface TelegramProfile {
  readonly id: number;
  readonly username?: string | undefined;
  readonly firstName: string;
}

/** Filters of {@link UserService.list}. */
export interface UserFilter {
  readonly status?: 'active' | 'banned' | undefined;
  /** Part of the first name or username. */
  readonly q?: string | undefined;
  readonly limit: number;
  readonly offset: number;
}

const statusBody = z.object({ status: z.enum(['active', 'banned']) });

/** Users of the bot: registration, lookups, profile answers, bans. */
export class UserService {
  readonly #db: PlatformDb;
  readonly #audit: AuditLog;
  readonly #events: EventPublisher;
  readonly #cache: ReadCache;

  constructor(deps: {
    db: PlatformDb;
    audit: AuditLog;
    events: EventPublisher;
    cache?: ReadCache;
  }) {
    this.#db = deps.db;
    this.#audit = deps.audit;
    this.#events = deps.events;
    this.#cache = deps.cache ?? new ReadCache({ ttlMs: 1 });
  }

  /**
   * Find the user by Telegram id (cached until a `users.*` or `payouts.*` event about them),
   * creating them (publishes `users.created`) the first time.
   */
  async register(profile: TelegramProfile): Promise<{ user: User; created: boolean }> {
    const key = userCacheKey(profile.id);
    const existing = await this.#cache.get(key, () => this.byTelegramId(profile.id));
    if (existing !== null) return { user: existing, created: false };
    this.#cache.drop(key);
    const [row] = await this.#db.sql.query<Record<string, unknown>>(
      `INSERT INTO ${this.#db.schema}.users (telegram_id, username, first_name) VALUES ($1, $2, $3)
       ON CONFLICT (telegram_id) DO NOTHING RETURNING *`,
      [profile.id, profile.username ?? null, profile.firstName.slice(0, 128)],
    );
    if (row === undefined) return { user: (await this.byTelegramId(profile.id))!, created: false };
    const user = toUser(row);
    await this.#events.publish('users.created', { userId: user.telegramId, id: user.id });
    return { user, created: true };
  }

  /** The user with this Telegram id, or null. */
  async byTelegramId(telegramId: number): Promise<User | null> {
    const [row] = await this.#db.sql.query<Record<string, unknown>>(
      `SELECT * FROM ${this.#db.schema}.users WHERE telegram_id = $1`,
      [telegramId],
      'platform_user_by_telegram_id',
    );
    return row === undefined ? null : toUser(row);
  }

  /** The user, or `NOT_FOUND`. */
  async get(id: number): Promise<User> {
    const [row] = await this.#db.sql.query<Record<string, unknown>>(
      `SELECT * FROM ${this.#db.schema}.users WHERE id = $1`,
      [id],
    );
    if (row === undefined) throw notFound('user', id);
    return toUser(row);
  }

  /** A page of users, newest first. */
  async list(filter: UserFilter): Promise<Page<User>> {
    const q = filter.q === undefined || filter.q === '' ? null : `%${escapeLike(filter.q)}%`;
    const { rows, total } = await queryPage<Record<string, unknown>>(
      this.#db.sql,
      `SELECT *, count(*) OVER () AS total FROM ${this.#db.schema}.users
       WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR first_name ILIKE $2 OR username ILIKE $2)
       ORDER BY id DESC LIMIT $3 OFFSET $4`,
      [filter.status ?? null, q],
      filter,
    );
    return { items: rows.map(toUser), total, ...pageOf(filter) };
  }

  /** The user and their latest 100 ledger entries. */
  async withLedger(id: number): Promise<{ user: User; ledger: LedgerEntry[] }> {
    const user = await this.get(id);
    const rows = await this.#db.sql.query<Record<string, unknown>>(
      `SELECT * FROM ${this.#db.schema}.ledger WHERE user_id = $1 ORDER BY id DESC LIMIT 100`,
      [id],
    );
    return { user, ledger: rows.map(toLedgerEntry) };
  }

  /** Ban or unban (audited); publishes `users.updated`. */
  async setStatus(actor: Actor, id: number, body: unknown): Promise<User> {
    const { status } = validate(statusBody, body, 'user change');
    const user = await this.#db.sql.transaction(async (tx) => {
      const [old] = await tx.query<Record<string, unknown>>(
        `SELECT * FROM ${this.#db.schema}.users WHERE id = $1 FOR UPDATE`,
        [id],
      );
      if (old === undefined) throw notFound('user', id);
      const [row] = await tx.query<Record<string, unknown>>(
        `UPDATE ${this.#db.schema}.users SET status = $2 WHERE id = $1 RETURNING *`,
        [id, status],
      );
      await this.#audit.record(tx, actor, {
        action: 'users.update',
        entity: 'users',
        entityId: id,
        old: { status: old.status },
        new: { status },
      });
      return toUser(row!);
    });
    await this.#events.publish('users.updated', { userId: user.telegramId, id: user.id, status });
    return user;
  }

  /** Store one answer in the user's profile (a scenario's `ask` step with `store: 'profile'`). */
  async setProfileField(telegramId: number, field: string, value: string): Promise<void> {
    const rows = await this.#db.sql.query<{ id: number }>(
      `UPDATE ${this.#db.schema}.users SET profile = profile || jsonb_build_object($2::text, $3::text)
       WHERE telegram_id = $1 RETURNING id`,
      [telegramId, field, value],
    );
    if (rows[0] !== undefined)
      await this.#events.publish('users.updated', { userId: telegramId, id: rows[0].id });
  }

  /** The user's profile answers. */
  async profile(telegramId: number): Promise<Record<string, string>> {
    const [row] = await this.#db.sql.query<{ profile: unknown }>(
      `SELECT profile::text AS profile FROM ${this.#db.schema}.users WHERE telegram_id = $1`,
      [telegramId],
    );
    const value = row?.profile;
    return (typeof value === 'string' ? JSON.parse(value) : (value ?? {})) as Record<
      string,
      string
    >;
  }
}

/** The read-cache key of a user by Telegram id (`;` ends it: `drop` matches by prefix). */
export function userCacheKey(telegramId: number | string): string {
  return `user:tg:${telegramId};`;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function pageOf(filter: UserFilter): { limit: number; offset: number } {
  return { limit: filter.limit, offset: filter.offset };
}
