import type { Keyspace, Logger, MessageBus, RedisClient, SqlClient } from '@hybridstate/core';
import { type AppStack, createAppStack } from '@hybridstate/identity';
import type { FastifyInstance } from 'fastify';
import { buildAdminApp } from './admin/admin-app.ts';
import { BotRepository } from './bot/bot-repository.ts';
import type { AppContext } from './exchanger-database.ts';
import { EXCHANGER_DATABASE_DEFAULTS, exchangerSchemas } from './exchanger-database.ts';
import { buildWebApp } from './web/web-app.ts';

/** What the three applications share, and what each has of its own. */
export interface ExchangerAppsOptions {
  /** One connection per application, each logged in as that application's role. */
  readonly sql: Readonly<Record<AppContext, SqlClient>>;
  /** Shared Redis (one instance, namespaces per application). @default none: PostgreSQL and memory */
  readonly redis?: RedisClient;
  readonly bus?: MessageBus;
  /** The registry the identity families are declared in. */
  readonly keyspace: Keyspace;
  /** @default 'exchanger_' */
  readonly schemaPrefix?: string;
  /** Session cookies without `Secure` (plain-HTTP local runs and tests). @default false */
  readonly insecureCookies?: boolean;
  readonly logger?: Logger;
}

/** The exchanger's three applications, each on its own stack and role. */
export interface ExchangerApps {
  readonly web: { readonly stack: AppStack; readonly app: FastifyInstance };
  readonly admin: { readonly stack: AppStack; readonly app: FastifyInstance };
  readonly bot: { readonly stack: AppStack; readonly repo: BotRepository };
  /** Close the HTTP apps and the stacks (the injected connections stay open). */
  close(): Promise<void>;
}

/**
 * Seed 001's `DatabaseFactory`: one stack per application context, each bound to its context
 * once, each on its application's own PostgreSQL role.
 */
export function createExchangerApps(options: ExchangerAppsOptions): ExchangerApps {
  const schemaPrefix = options.schemaPrefix ?? EXCHANGER_DATABASE_DEFAULTS.schemaPrefix;
  const schemas = exchangerSchemas(schemaPrefix);
  const stack = (context: AppContext) =>
    createAppStack(context, {
      sql: options.sql[context],
      keyspace: options.keyspace,
      schemaPrefix,
      ...(options.redis === undefined ? {} : { redis: options.redis }),
      ...(options.bus === undefined ? {} : { bus: options.bus }),
      ...(options.logger === undefined ? {} : { logger: options.logger }),
    });
  const cookie = { insecure: options.insecureCookies ?? false };
  const webStack = stack('web');
  const adminStack = stack('admin');
  const botStack = stack('telegram');
  const web = buildWebApp({ stack: webStack, sql: options.sql.web, schemas, cookie });
  const admin = buildAdminApp({ stack: adminStack, sql: options.sql.admin, schemas, cookie });
  return {
    web: { stack: webStack, app: web },
    admin: { stack: adminStack, app: admin },
    bot: { stack: botStack, repo: new BotRepository(options.sql.telegram, schemas) },
    async close() {
      await Promise.all([web.close(), admin.close()]);
      for (const s of [webStack, adminStack, botStack]) s.close();
    },
  };
}
