import { createHash } from 'node:crypto';
import { createRedisClient, type Keyspace, pgSqlClient, type RedisClient } from '@hybridstate/core';
import pg from 'pg';
import {
  dropKeyspace,
  startTcpProxy,
  type TcpProxy,
  TEST_DATABASE_URL,
  TEST_REDIS_URL,
  testKeyspace,
  uniqueId,
} from '../../../test-support/index.ts';
import { createExchangerApps, type ExchangerApps } from '../src/exchanger-apps.ts';
import {
  APP_CONTEXTS,
  type AppContext,
  exchangerRole,
  exchangerSchemas,
  prepareExchangerDatabase,
  roleUrl,
} from '../src/exchanger-database.ts';
import { hashPassword } from '../src/passwords.ts';

/** The exchanger on the test PostgreSQL (own schemas and roles) and the test Redis. */
export interface ExchangerWorld {
  readonly apps: ExchangerApps;
  readonly keyspace: Keyspace;
  readonly redis: RedisClient;
  /** The database owner (for checks and fixtures the apps' roles may not do). */
  readonly owner: pg.Pool;
  /** A pool logged in as an application's role. */
  readonly roles: Readonly<Record<AppContext, pg.Pool>>;
  readonly schemas: ReturnType<typeof exchangerSchemas>;
  /** The proxy in front of PostgreSQL for the admin role's pool. */
  readonly adminProxy: TcpProxy;
  /** A user with a password and permissions per context; returns its id. */
  createUser(
    email: string,
    password: string,
    permissions?: Partial<Record<AppContext, string[]>>,
  ): Promise<string>;
  /** The Redis key of a declared family (`identity.session.web`, `cache.web.rates`...). */
  redisKey(family: string, params: Record<string, string | number>): string;
  cleanup(): Promise<void>;
}

/** SHA-256 of a session id, as identity stores it in both tiers. */
export function sessionHash(id: string): string {
  return createHash('sha256').update(id).digest('hex');
}

/** Migrate fresh schemas, provision roles, connect each application as its role. */
export async function exchangerWorld(options: { redisUrl?: string } = {}): Promise<ExchangerWorld> {
  const schemaPrefix = `${uniqueId('x')}_`;
  const rolePrefix = `${schemaPrefix}r_`;
  const owner = new pg.Pool({ connectionString: TEST_DATABASE_URL, max: 3 });
  owner.on('error', () => undefined);
  await prepareExchangerDatabase(pgSqlClient(owner), { schemaPrefix, rolePrefix });
  const adminProxy = await startTcpProxy(Number(new URL(TEST_DATABASE_URL).port || 5432));
  const pool = (context: AppContext) => {
    const url = new URL(roleUrl(TEST_DATABASE_URL, context, { rolePrefix }));
    if (context === 'admin') url.port = String(adminProxy.port);
    const p = new pg.Pool({ connectionString: url.href, max: 3, connectionTimeoutMillis: 1000 });
    p.on('error', () => undefined);
    return p;
  };
  const roles = { web: pool('web'), admin: pool('admin'), telegram: pool('telegram') };
  const redis = await createRedisClient(options.redisUrl ?? TEST_REDIS_URL);
  const keyspace = testKeyspace();
  const apps = createExchangerApps({
    sql: {
      web: pgSqlClient(roles.web),
      admin: pgSqlClient(roles.admin),
      telegram: pgSqlClient(roles.telegram),
    },
    redis,
    keyspace,
    schemaPrefix,
    insecureCookies: true,
  });
  const schemas = exchangerSchemas(schemaPrefix);
  return {
    apps,
    keyspace,
    redis,
    owner,
    roles,
    schemas,
    adminProxy,
    async createUser(email, password, permissions = {}) {
      const [row] = (
        await owner.query(
          `INSERT INTO ${schemas.identity}.users (email, password_hash) VALUES ($1, $2) RETURNING id`,
          [email, await hashPassword(password)],
        )
      ).rows as { id: string }[];
      for (const [context, names] of Object.entries(permissions))
        for (const name of names)
          await owner.query(
            `INSERT INTO ${schemas.identity}.user_permissions (user_id, permission, application_context) VALUES ($1, $2, $3)`,
            [row!.id, name, context],
          );
      return row!.id;
    },
    redisKey: (family, params) => keyspace.get(family).key(params as never).redisKey,
    async cleanup() {
      await apps.close();
      await adminProxy.restore().catch(() => undefined);
      for (const p of Object.values(roles)) await p.end();
      await adminProxy.close();
      if (redis.status === 'ready')
        await dropKeyspace(redis as never, keyspace).catch(() => undefined);
      redis.disconnect();
      for (const schema of Object.values(schemas))
        await owner.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      for (const context of APP_CONTEXTS) {
        const role = exchangerRole(context, { rolePrefix });
        await owner.query(`DROP OWNED BY "${role}"`).catch(() => undefined);
        await owner.query(`DROP ROLE IF EXISTS "${role}"`);
      }
      await owner.end();
    },
  };
}

/** The value of cookie `name` in a response's `set-cookie`. */
export function cookieFrom(setCookie: string | string[] | undefined, name: string): string {
  const header = [setCookie ?? []].flat().find((c) => c.startsWith(`${name}=`));
  if (header === undefined) throw new Error(`no ${name} cookie in ${String(setCookie)}`);
  return decodeURIComponent(header.slice(name.length + 1).split(';')[0]!);
}
