/**
 * A platform for tests on the real Redis and PostgreSQL: its own schemas (platform and
 * identity, dropped by `cleanup`), its own key prefix and bus channels, the Fastify app with
 * every platform route, and helpers to sign in and to sign Mini App initData.
 */
import {
  createTieredStore,
  Keyspace,
  RedisMessageBus,
  RedisTier,
  silentLogger,
  type TieredStore,
} from '@hybridstate/core';
import { signInitData } from '@hybridstate/telegram';
import type { FastifyInstance } from 'fastify';
import {
  type TestStack,
  testKeyspace,
  testStack,
  uniqueId,
} from '../../../../test-support/index.ts';
import { BOT_INFO } from '../../../../test-support/telegram.ts';
import { registerPlatform } from '../../src/api/register-platform.ts';
import type { StaticUi } from '../../src/api/static-routes.ts';
import { buildServer } from '../../src/build-server.ts';
import { migratePlatform } from '../../src/platform/migrate-platform.ts';
import { createPlatform, type Platform } from '../../src/platform/platform.ts';
import type { AdminRole } from '../../src/services/actor.ts';

/** The secret the fixture signs initData with (no bot token: the playground secret). */
export const PLAYGROUND_SECRET = 'test-playground-secret';
/** The webhook secret the fixture's webhook route expects. */
export const WEBHOOK_SECRET = 'test-webhook-secret';

/** A running test platform. */
export interface PlatformFixture {
  readonly stack: TestStack;
  readonly platform: Platform;
  readonly app: FastifyInstance;
  readonly bus: RedisMessageBus;
  /** Create an account and sign in: the cookie header and CSRF token. */
  signIn(role?: AdminRole): Promise<AdminClient>;
  /** A second instance on the same database, Redis and bus (its own caches and app). */
  secondInstance(): Promise<{ platform: Platform; app: FastifyInstance }>;
  /** initData for a Telegram user, signed like the playground signs it. */
  initData(user: { id: number; firstName?: string }, authDate?: number): string;
  cleanup(): Promise<void>;
}

/** A signed-in admin's credentials for `app.inject`. */
export interface AdminClient {
  readonly email: string;
  readonly cookie: string;
  readonly csrf: string;
  /** Headers of a mutation: cookie and CSRF token. */
  readonly headers: Record<string, string>;
}

/** Start a platform on fresh schemas. */
export async function platformFixture(
  options: { staticUis?: readonly StaticUi[] } = {},
): Promise<PlatformFixture> {
  const keyspace = testKeyspace();
  const stack = await testStack({ keyspace });
  const schema = uniqueId('p_');
  const identitySchemaPrefix = `${schema}_`;
  await migratePlatform(stack.pg.sql, { schema, identitySchemaPrefix });
  const instance = async (store: TieredStore, ks: Keyspace) => {
    const bus = new RedisMessageBus(stack.redis, { channelPrefix: `${keyspace.prefix}:bus:` });
    const platform = createPlatform({
      sql: stack.pg.sql,
      store,
      keyspace: ks,
      redis: stack.redis,
      bus,
      schema,
      identitySchemaPrefix,
      botInfo: BOT_INFO,
      playgroundSecret: PLAYGROUND_SECRET,
      publicUrl: 'https://platform.test',
      logger: silentLogger,
    });
    const app = buildServer({ store });
    await registerPlatform(app, {
      platform,
      logger: silentLogger,
      system: { store, bus, gatewayClients: () => 0 },
      webhookSecret: WEBHOOK_SECRET,
      staticUis: options.staticUis ?? [],
    });
    await app.ready();
    return { platform, app, bus };
  };
  const { platform, app, bus } = await instance(stack.store, keyspace);
  const others: Awaited<ReturnType<typeof instance>>[] = [];
  return {
    stack,
    platform,
    app,
    bus,
    async secondInstance() {
      // Same prefix, same keys; a keyspace of its own because families are declared once per keyspace.
      const ks = new Keyspace({ prefix: keyspace.prefix });
      const store = await createTieredStore({
        keyspace: ks,
        cache: new RedisTier(stack.redis),
        postgres: stack.pg.tier,
        sweepIntervalMs: 0,
      });
      const other = await instance(store, ks);
      others.push(other);
      return other;
    },
    signIn: (role = 'admin') => signIn(app, platform, role),
    initData: (user, authDate = Math.floor(Date.now() / 1000)) =>
      signInitData(
        {
          auth_date: String(authDate),
          user: JSON.stringify({ id: user.id, first_name: user.firstName ?? `user${user.id}` }),
        },
        PLAYGROUND_SECRET,
      ),
    async cleanup() {
      for (const other of others) {
        await other.app.close();
        await other.platform.close();
        await other.bus.close();
      }
      await app.close();
      await platform.close();
      await bus.close();
      for (const s of [
        schema,
        ...['identity', 'web', 'admin', 'bot'].map((n) => identitySchemaPrefix + n),
      ])
        await stack.pg.pool.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
      await stack.cleanup();
    },
  };
}

async function signIn(
  app: FastifyInstance,
  platform: Platform,
  role: AdminRole,
): Promise<AdminClient> {
  const email = `${uniqueId(role)}@test.local`;
  await platform.admins.upsert(email, 'correct horse battery', role);
  const response = await app.inject({
    method: 'POST',
    url: '/api/admin/login',
    payload: { email, password: 'correct horse battery' },
  });
  if (response.statusCode !== 200) throw new Error(`login failed: ${response.body}`);
  const cookie = response.cookies.find((c) => c.name === 'hs_admin')!;
  const csrf = (response.json() as { csrfToken: string }).csrfToken;
  const header = `hs_admin=${cookie.value}`;
  return { email, cookie: header, csrf, headers: { cookie: header, 'x-csrf-token': csrf } };
}

let nextTelegramId = 5_000_000_000 + Math.floor(Math.random() * 1_000_000_000);

/** A Telegram user id no other test uses. */
export function newTelegramId(): number {
  return nextTelegramId++;
}
