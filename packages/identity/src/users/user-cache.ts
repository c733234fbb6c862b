import type { Family, MessageBus, SqlClient } from '@hybridstate/core';
import { USER_CACHE_TTL_MS } from '../contexts/identity-families.ts';
import type { VersionedCopies } from '../redis/versioned-copies.ts';
import { userExists } from './user-errors.ts';
import { isUserId } from './user-id.ts';
import { UserMemory } from './user-memory.ts';

/** A user as one application context sees them (seed 001's `UserData`). */
export interface CachedUser {
  readonly id: string;
  readonly email: string;
  readonly emailVerified: boolean;
  /** Permissions granted in this context only, sorted. */
  readonly permissions: readonly string[];
  /** The user's row version: it grows on every change of the user or their permissions. */
  readonly version: number;
}

/** Changes {@link UserCache.updateUser} can make. */
export interface UserChanges {
  readonly email?: string;
  readonly emailVerified?: boolean;
}

/** What a stack gives its user cache. */
export interface UserCacheDeps {
  readonly context: string;
  readonly sql: SqlClient;
  /** The `identity` schema, quoted. */
  readonly schema: string;
  /** This context's user family, and every context's (invalidation reaches them all). */
  readonly family: Family<'identity:user:x:{userId}'>;
  readonly allFamilies: readonly Family<'identity:user:x:{userId}'>[];
  readonly copies: VersionedCopies;
  /** Carries "user changed" to every instance's memory copy (see {@link UserCacheOptions}). */
  readonly bus: MessageBus;
  /** Bus channel shared by every context of the keyspace. */
  readonly channel: string;
}

/** Options of {@link UserCache}. */
export interface UserCacheOptions {
  /**
   * Keep users in process memory this long, in front of Redis. Every change is announced on
   * the bus and drops the copy on every instance (a bus resync drops all), so turn it on only
   * when every instance shares one bus (a `RedisMessageBus`). @default 0 (off: Redis only)
   */
  readonly memoryTtlMs?: number;
  /** @default 10000 */
  readonly maxMemoryEntries?: number;
}

interface UserRow {
  readonly id: string;
  readonly email: string;
  readonly email_verified: boolean;
  readonly version: string | number;
  readonly permissions: string[] | string;
}

/**
 * Users and their permissions in one context, cached in Redis for 1 hour. A change to a user
 * or a permission bumps the user's version in the same transaction and then writes a
 * tombstone at that version into every context's key: every instance reads through Redis, so
 * every instance sees the change at once, and a reader still holding the old rows cannot
 * write them back.
 */
export class UserCache {
  readonly context: string;
  readonly #deps: UserCacheDeps;
  readonly #memory: UserMemory | undefined;
  readonly #unsubscribe: (() => void)[] = [];

  constructor(deps: UserCacheDeps, options: UserCacheOptions = {}) {
    this.context = deps.context;
    this.#deps = deps;
    if ((options.memoryTtlMs ?? 0) <= 0) return;
    const memory = new UserMemory(options.memoryTtlMs!, options.maxMemoryEntries ?? 10_000);
    this.#memory = memory;
    this.#unsubscribe.push(
      deps.bus.subscribe(deps.channel, (userId) => memory.forget(userId)),
      deps.bus.onResync(() => memory.clear()),
    );
  }

  /** The user with their permissions in this context, or `null` (also for a malformed id). */
  async get(userId: unknown): Promise<CachedUser | null> {
    if (!isUserId(userId)) return null;
    const remembered = this.#memory?.get(userId);
    if (remembered !== undefined) return remembered;
    const generation = this.#memory?.generation(userId) ?? '';
    const user = await this.#read(userId);
    if (user !== null) this.#memory?.remember(userId, user, generation);
    return user;
  }

  /** Stop listening to the bus. */
  close(): void {
    for (const unsubscribe of this.#unsubscribe.splice(0)) unsubscribe();
    this.#memory?.clear();
  }

  async #read(userId: string): Promise<CachedUser | null> {
    const key = this.#deps.family.key({ userId }).redisKey;
    const copy = await this.#deps.copies.get(key);
    if (copy?.payload != null) return JSON.parse(copy.payload) as CachedUser;
    const user = await this.#load(this.#deps.sql, userId);
    if (user !== null)
      await this.#deps.copies.put(key, user.version, JSON.stringify(user), USER_CACHE_TTL_MS);
    return user;
  }

  /** Create a user; returns its id. */
  async createUser(email: string, passwordHash: string | null = null): Promise<string> {
    try {
      const [row] = await this.#deps.sql.query<{ id: string }>(
        `INSERT INTO ${this.#deps.schema}.users (email, password_hash) VALUES ($1, $2) RETURNING id`,
        [email, passwordHash],
      );
      return row!.id;
    } catch (error) {
      throw userExists(error, email) ?? error;
    }
  }

  /** Change a user's email or verification; invalidates the user in every context. */
  async updateUser(userId: string, changes: UserChanges): Promise<boolean> {
    if (!isUserId(userId)) return false;
    try {
      return await this.#update(userId, changes);
    } catch (error) {
      throw userExists(error, changes.email ?? '') ?? error;
    }
  }

  #update(userId: string, changes: UserChanges): Promise<boolean> {
    return this.#bump(userId, async (tx) => {
      await tx.query(
        `UPDATE ${this.#deps.schema}.users SET email = COALESCE($2, email), email_verified = COALESCE($3, email_verified) WHERE id = $1`,
        [userId, changes.email ?? null, changes.emailVerified ?? null],
      );
    });
  }

  /** Grant a permission in this context. */
  async grant(userId: string, permission: string): Promise<boolean> {
    if (!isUserId(userId)) return false;
    return this.#bump(userId, (tx) =>
      tx.query(
        `INSERT INTO ${this.#deps.schema}.user_permissions (user_id, permission, application_context) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
        [userId, permission, this.context],
      ),
    );
  }

  /** Revoke a permission in this context. */
  async revoke(userId: string, permission: string): Promise<boolean> {
    if (!isUserId(userId)) return false;
    return this.#bump(userId, (tx) =>
      tx.query(
        `DELETE FROM ${this.#deps.schema}.user_permissions WHERE user_id = $1 AND permission = $2 AND application_context = $3`,
        [userId, permission, this.context],
      ),
    );
  }

  /** Drop the user's cached copies in every context (after a change made elsewhere). */
  async invalidate(userId: string): Promise<void> {
    if (!isUserId(userId)) return;
    const [row] = await this.#deps.sql.query<{ version: string }>(
      `SELECT version FROM ${this.#deps.schema}.users WHERE id = $1`,
      [userId],
    );
    await this.#tombstones(
      userId,
      row === undefined ? Number.MAX_SAFE_INTEGER : Number(row.version),
    );
  }

  /** Run `change` and bump the user's version in one transaction, then invalidate everywhere. */
  async #bump(userId: string, change: (tx: SqlClient) => Promise<unknown>): Promise<boolean> {
    const version = await this.#deps.sql.transaction(async (tx) => {
      await change(tx);
      const [row] = await tx.query<{ version: string }>(
        `UPDATE ${this.#deps.schema}.users SET version = version + 1, updated_at = now() WHERE id = $1 RETURNING version`,
        [userId],
      );
      return row?.version;
    });
    if (version === undefined) return false;
    await this.#tombstones(userId, Number(version));
    return true;
  }

  async #tombstones(userId: string, version: number): Promise<void> {
    this.#memory?.forget(userId);
    await Promise.all(
      this.#deps.allFamilies.map((family) =>
        this.#deps.copies.put(family.key({ userId }).redisKey, version, null, USER_CACHE_TTL_MS),
      ),
    );
    // Every context's and every instance's memory copy; a lost message is covered by resync.
    await this.#deps.bus.publish(this.#deps.channel, userId).catch(() => undefined);
  }

  async #load(sql: SqlClient, userId: string): Promise<CachedUser | null> {
    const [row] = await sql.query<UserRow>(
      `SELECT u.id, u.email, u.email_verified, u.version,
         COALESCE((SELECT array_agg(p.permission ORDER BY p.permission) FROM ${this.#deps.schema}.user_permissions p
                   WHERE p.user_id = u.id AND p.application_context = $2), '{}') AS permissions
       FROM ${this.#deps.schema}.users u WHERE u.id = $1`,
      [userId, this.context],
      'hs_identity_user_get',
    );
    if (row === undefined) return null;
    return {
      id: row.id,
      email: row.email,
      emailVerified: row.email_verified,
      permissions: Array.isArray(row.permissions) ? row.permissions : parseArray(row.permissions),
      version: Number(row.version),
    };
  }
}

/** PGlite may return a text[] as its literal `{a,b}`. */
function parseArray(text: string): string[] {
  const inner = text.slice(1, -1);
  return inner === '' ? [] : inner.split(',').map((s) => s.replace(/^"|"$/g, ''));
}
