/**
 * `npm start -w examples/exchanger`: seed 001's exchanger. The web app on PORT (default 3000),
 * the admin app on ADMIN_PORT (default PORT + 1), the bot when BOT_TOKEN is set
 * (TELEGRAM_API_ROOT for a self-hosted Bot API server). Reads the Redis and PostgreSQL
 * variables of the root README; with none set: process memory and embedded PGlite, with demo
 * accounts.
 */
import {
  createRedisClient,
  describeConfig,
  type Env,
  type HybridStateConfig,
  Keyspace,
  loadConfig,
  type OpenSql,
  openPostgres,
  RedisMessageBus,
} from '@hybridstate/core';
import { readTelegramOptions } from '@hybridstate/telegram';
import { createExchangerBot } from './bot/exchanger-bot.ts';
import { consoleLogger } from './console-logger.ts';
import { DEMO_ACCOUNTS, seedDemoData } from './demo-data.ts';
import { createExchangerApps } from './exchanger-apps.ts';
import {
  APP_CONTEXTS,
  type AppContext,
  EXCHANGER_DATABASE_DEFAULTS,
  type ExchangerDatabaseOptions,
  exchangerSchemas,
  prepareExchangerDatabase,
  roleUrl,
} from './exchanger-database.ts';

const logger = consoleLogger(process.env.LOG_LEVEL);

/** Per-application role passwords: WEB_DB_PASSWORD, ADMIN_DB_PASSWORD, BOT_DB_PASSWORD. */
function rolePasswords(env: Env): Partial<Record<AppContext, string>> {
  const names = { web: 'WEB_DB_PASSWORD', admin: 'ADMIN_DB_PASSWORD', telegram: 'BOT_DB_PASSWORD' };
  return Object.fromEntries(
    Object.entries(names).flatMap(([context, name]) => (env[name] ? [[context, env[name]]] : [])),
  );
}

/** One connection per application, as its own role; embedded PGlite has one connection for all. */
async function connectApps(
  config: HybridStateConfig,
  owner: OpenSql,
  roles: ExchangerDatabaseOptions & { passwords: Partial<Record<AppContext, string>> },
): Promise<Record<AppContext, OpenSql>> {
  const postgres = config.postgres;
  if (postgres.mode === 'pglite') {
    logger.warn(
      {},
      'embedded PGlite has one connection: the three apps share it, so per-application roles need PostgreSQL',
    );
    return { web: owner, admin: owner, telegram: owner };
  }
  const open = (context: AppContext) => {
    const password = roles.passwords[context];
    const url = roleUrl(postgres.url, context, {
      ...roles,
      ...(password === undefined ? {} : { password }),
    });
    return openPostgres({ ...postgres, url, redactedUrl: url.replace(/:[^:@/]*@/, ':***@') });
  };
  const [web, admin, telegram] = await Promise.all(APP_CONTEXTS.map(open));
  return { web: web!, admin: admin!, telegram: telegram! };
}

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const telegram = readTelegramOptions(process.env);
  const described = describeConfig(config);
  logger.info({}, described.redis);
  logger.info({}, described.postgres);
  const owner = await openPostgres(config.postgres);
  const passwords = rolePasswords(process.env);
  const names = {
    schemaPrefix: process.env.EXCHANGER_SCHEMA_PREFIX ?? EXCHANGER_DATABASE_DEFAULTS.schemaPrefix,
    rolePrefix: process.env.EXCHANGER_ROLE_PREFIX ?? EXCHANGER_DATABASE_DEFAULTS.rolePrefix,
  };
  await prepareExchangerDatabase(owner.sql, { ...names, passwords });
  const schemas = exchangerSchemas(names.schemaPrefix);
  if (config.postgres.mode === 'pglite' || process.env.EXCHANGER_DEMO_DATA === '1') {
    if (await seedDemoData(owner.sql, schemas))
      logger.info(
        { accounts: DEMO_ACCOUNTS.map((a) => `${a.email} / ${a.password}`) },
        'demo data created',
      );
  }
  const connections = await connectApps(config, owner, { ...names, passwords });
  const redis =
    config.redis.mode === 'redis' ? await createRedisClient(config.redis.url) : undefined;
  const keyPrefix = process.env.KEY_PREFIX ?? 'exchanger';
  // Keeps every instance's cache L1 coherent; without Redis the bus is in-process.
  const bus = redis && new RedisMessageBus(redis, { channelPrefix: `${keyPrefix}:bus:`, logger });
  const apps = createExchangerApps({
    sql: {
      web: connections.web.sql,
      admin: connections.admin.sql,
      telegram: connections.telegram.sql,
    },
    ...(redis === undefined ? {} : { redis }),
    ...(bus === undefined ? {} : { bus }),
    keyspace: new Keyspace({ prefix: keyPrefix }),
    schemaPrefix: names.schemaPrefix,
    insecureCookies: process.env.INSECURE_COOKIES === '1' || config.postgres.mode === 'pglite',
    logger,
  });
  const adminPort = Number(process.env.ADMIN_PORT ?? config.port + 1);
  await apps.web.app.listen({ port: config.port, host: '0.0.0.0' });
  await apps.admin.app.listen({ port: adminPort, host: '0.0.0.0' });
  logger.info({ web: config.port, admin: adminPort }, 'exchanger web and admin apps listening');
  const bot =
    telegram.token === undefined
      ? undefined
      : createExchangerBot(apps.bot, { ...telegram, token: telegram.token });
  const stop = async () => {
    await bot?.stop().catch(() => undefined);
    await apps.close();
    await bus?.close();
    redis?.disconnect();
    for (const connection of new Set([...Object.values(connections), owner]))
      await connection.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  if (bot === undefined) return logger.info({}, 'no BOT_TOKEN: the exchanger bot is off');
  logger.info(
    { apiRoot: telegram.apiRoot ?? 'https://api.telegram.org' },
    'exchanger bot: polling Telegram',
  );
  await bot.start();
}

main().catch((error: unknown) => {
  logger.error({ err: error }, 'exchanger failed to start');
  process.exit(1);
});
