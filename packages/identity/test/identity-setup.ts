import {
  createRedisClient,
  type Keyspace,
  type MessageBus,
  pgSqlClient,
  type RedisClient,
  type SqlClient,
} from '@hybridstate/core';
import pg from 'pg';
import {
  dropKeyspace,
  TEST_DATABASE_URL,
  TEST_REDIS_URL,
  testKeyspace,
  uniqueId,
} from '../../../test-support/index.ts';
import {
  type AppStack,
  type AppStackOptions,
  createAppStack,
  DEFAULT_CONTEXTS,
  migrateIdentity,
  provisionRoles,
  roleName,
} from '../src/index.ts';

/** Migrated identity + application schemas (own prefix), per-context roles, Redis. */
export interface IdentityWorld {
  readonly schemaPrefix: string;
  readonly rolePrefix: string;
  readonly keyspace: Keyspace;
  readonly owner: pg.Pool;
  readonly ownerSql: SqlClient;
  readonly redis: RedisClient;
  /** A pool connected as a context's own role. */
  rolePool(context: string): pg.Pool;
  /** A stack connected as the context's role (as production should be). */
  stack(context: string, options?: Partial<AppStackOptions> & { bus?: MessageBus }): AppStack;
  /** A user in identity; returns its id. */
  createUser(email?: string): Promise<string>;
  cleanup(): Promise<void>;
}

/** Migrate a fresh set of schemas and roles on the test database and connect. */
export async function identityWorld(
  options: { redisUrl?: string; redis?: RedisClient } = {},
): Promise<IdentityWorld> {
  const schemaPrefix = `${uniqueId('i')}_`;
  const rolePrefix = `${schemaPrefix}r_`;
  const owner = new pg.Pool({ connectionString: TEST_DATABASE_URL, max: 4 });
  owner.on('error', () => undefined);
  const ownerSql = pgSqlClient(owner);
  await migrateIdentity({ sql: ownerSql, schemaPrefix });
  await provisionRoles(ownerSql, DEFAULT_CONTEXTS, { schemaPrefix, rolePrefix });
  // A given client (a test's Redis Cluster) belongs to the caller, which also drops its keys.
  const redis = options.redis ?? (await createRedisClient(options.redisUrl ?? TEST_REDIS_URL));
  const keyspace = testKeyspace();
  const pools = new Map<string, pg.Pool>();
  const stacks: AppStack[] = [];
  const rolePool = (context: string) => {
    const existing = pools.get(context);
    if (existing) return existing;
    const role = roleName(DEFAULT_CONTEXTS.find((c) => c.name === context)!, { rolePrefix });
    const url = new URL(TEST_DATABASE_URL);
    url.username = role;
    const pool = new pg.Pool({ connectionString: url.toString(), max: 4 });
    pool.on('error', () => undefined);
    pools.set(context, pool);
    return pool;
  };
  return {
    schemaPrefix,
    rolePrefix,
    keyspace,
    owner,
    ownerSql,
    redis,
    rolePool,
    stack(context, extra = {}) {
      const stack = createAppStack(context, {
        sql: pgSqlClient(rolePool(context)),
        redis,
        keyspace,
        schemaPrefix,
        ...extra,
      });
      stacks.push(stack);
      return stack;
    },
    async createUser(email = `${uniqueId('u')}@example.com`) {
      const [row] = (
        await owner.query(
          `INSERT INTO "${schemaPrefix}identity".users (email) VALUES ($1) RETURNING id`,
          [email],
        )
      ).rows as { id: string }[];
      return row!.id;
    },
    async cleanup() {
      for (const stack of stacks) stack.close();
      for (const pool of pools.values()) await pool.end();
      if (options.redis === undefined) {
        if (redis.status === 'ready')
          await dropKeyspace(redis as never, keyspace).catch(() => undefined);
        redis.disconnect();
      }
      for (const schema of ['identity', 'web', 'admin', 'bot'])
        await owner.query(`DROP SCHEMA IF EXISTS "${schemaPrefix}${schema}" CASCADE`);
      for (const context of DEFAULT_CONTEXTS) {
        const role = roleName(context, { rolePrefix });
        await owner.query(`DROP OWNED BY "${role}"`).catch(() => undefined);
        await owner.query(`DROP ROLE IF EXISTS "${role}"`);
      }
      await owner.end();
    },
  };
}
