import {
  type Keyspace,
  LocalMessageBus,
  type Logger,
  type MessageBus,
  type RedisClient,
  type SqlClient,
  silentLogger,
} from '@hybridstate/core';
import { ApplicationCache, type DeclaredCache } from '../cache/application-cache.ts';
import type { ApplicationCacheOptions } from '../cache/cache-options.ts';
import { type ContextDefinition, contextOf, resolveContexts } from '../contexts/app-context.ts';
import { contextFamilies } from '../contexts/identity-families.ts';
import { GuardedRedis } from '../redis/guarded-redis.ts';
import { VersionedCopies } from '../redis/versioned-copies.ts';
import { ident } from '../schema/migration.ts';
import { identitySchema, type SchemaOptions } from '../schema/schema-names.ts';
import { SessionStorage, type SessionStorageOptions } from '../sessions/session-storage.ts';
import { UserCache, type UserCacheOptions } from '../users/user-cache.ts';

/** Options of {@link createAppStack}. */
export interface AppStackOptions extends SchemaOptions {
  /**
   * PostgreSQL holding the identity schema. In production connect it as the context's own
   * role (see `provisionRoles`), so the database enforces the isolation too.
   */
  readonly sql: SqlClient;
  /** Redis for the copies and caches. @default none: PostgreSQL and process memory only */
  readonly redis?: RedisClient;
  /** Bus that keeps the caches' L1 coherent across instances. @default a LocalMessageBus */
  readonly bus?: MessageBus;
  /** Registry the identity families are declared in. */
  readonly keyspace: Keyspace;
  /** @default DEFAULT_CONTEXTS (web, admin, telegram) */
  readonly contexts?: readonly ContextDefinition[];
  readonly sessions?: SessionStorageOptions;
  /** Delete this context's expired session rows this often; 0 turns it off. @default 600000 (10 min) */
  readonly sweepIntervalMs?: number;
  readonly cache?: ApplicationCacheOptions;
  /** @default memory copy off: users are read from Redis every time */
  readonly users?: UserCacheOptions;
  readonly logger?: Logger;
}

/** Everything one application uses, bound to its context once, here. */
export interface AppStack {
  /** The application context (`web`, `admin`, `telegram`...). */
  readonly context: string;
  readonly sessions: SessionStorage;
  readonly users: UserCache;
  readonly cache: ApplicationCache;
  /** Stop the breaker's probes and the bus listeners (the injected clients stay open). */
  close(): void;
}

/**
 * Build the stack of one application context. Every adapter in it is bound to `context` by
 * construction: its Redis keys come from the context's own families and its SQL always says
 * `application_context = <context>`; no method takes a context.
 *
 * @example
 * ```ts
 * const web = createAppStack('web', { sql, redis, bus, keyspace });
 * const session = await web.sessions.get(cookie); // never an admin session
 * ```
 */
export function createAppStack(context: string, options: AppStackOptions): AppStack {
  const contexts = resolveContexts(options.contexts);
  const definition = contextOf(contexts, context);
  const logger = options.logger ?? silentLogger;
  const own = contextFamilies(options.keyspace, definition);
  const all = [...contexts.values()].map((c) => contextFamilies(options.keyspace, c));
  const schema = ident(identitySchema(options));
  const redis = new GuardedRedis(options.redis, `identity:${context}`, logger, async () => {
    // Changes made while Redis was unreachable never reached its copies: drop them all.
    for (const family of [own.session, own.user, own.tag, ...own.caches.values()])
      await redis.scanDelete(family.redisPattern(), (key) => family.ownsRedisKey(key));
  });
  const copies = new VersionedCopies(redis);
  const caches = new Map<string, DeclaredCache>(
    definition.caches.map((c) => [c.name, { definition: c, family: own.caches.get(c.name)! }]),
  );
  const bus = options.bus ?? new LocalMessageBus();
  const cache = new ApplicationCache(
    {
      context,
      caches,
      tagFamily: own.tag,
      redis,
      bus,
      channel: `${options.keyspace.prefix}:identity-cache:${context}`,
      logger,
    },
    options.cache,
  );
  const sessions = new SessionStorage(
    { context, sql: options.sql, table: `${schema}.sessions`, family: own.session, copies },
    options.sessions,
  );
  const users = new UserCache(
    {
      context,
      sql: options.sql,
      schema,
      family: own.user,
      allFamilies: all.map((f) => f.user),
      copies,
      bus,
      channel: `${options.keyspace.prefix}:identity-users`,
    },
    options.users,
  );
  const sweeper = startSweeper(sessions, options.sweepIntervalMs ?? 600_000, logger);
  return {
    context,
    sessions,
    users,
    cache,
    close() {
      clearInterval(sweeper);
      cache.close();
      users.close();
      redis.close();
    },
  };
}

function startSweeper(
  sessions: SessionStorage,
  intervalMs: number,
  logger: Logger,
): NodeJS.Timeout | undefined {
  if (intervalMs <= 0) return undefined;
  const timer = setInterval(() => {
    sessions
      .sweepExpired()
      .then((swept) => swept > 0 && logger.info({ swept }, 'expired identity sessions swept'))
      .catch((error: unknown) => logger.warn({ err: error }, 'sweeping expired sessions failed'));
  }, intervalMs);
  timer.unref();
  return timer;
}
