import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RedisClient } from '@hybridstate/core';
import {
  type Keyspace,
  LocalMessageBus,
  type Logger,
  type MessageBus,
  RedisMessageBus,
  type SqlClient,
  type TieredStore,
} from '@hybridstate/core';
import { attachSyncGateway, type SyncGateway } from '@hybridstate/sync';
import type { FastifyInstance } from 'fastify';
import { registerPlatform } from '../api/register-platform.ts';
import { WEBHOOK_PATH } from '../api/webhook-route.ts';
import { platformSyncAuthenticator } from '../auth/sync-authenticators.ts';
import { buildMissingUis, isBuilt } from './build-uis.ts';
import { ensureFirstAdmin, type FirstAdmin } from './first-admin.ts';
import { migratePlatform } from './migrate-platform.ts';
import { createPlatform, type Platform } from './platform.ts';
import type { PlatformEnv } from './platform-env.ts';

const APPS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** A UI and whether its files exist yet. */
export interface UiStatus {
  readonly prefix: string;
  readonly state: 'built' | 'building' | 'missing';
}

/** What {@link startPlatform} is given: the server's connections and environment. */
export interface StartPlatformOptions {
  readonly app: FastifyInstance;
  readonly env: PlatformEnv;
  readonly store: TieredStore;
  readonly sql: SqlClient;
  readonly redis: RedisClient | undefined;
  readonly keyspace: Keyspace;
  readonly logger: Logger;
}

/** The started platform. */
export interface StartedPlatform {
  readonly platform: Platform;
  readonly bus: MessageBus;
  readonly gateway: SyncGateway;
  readonly firstAdmin: FirstAdmin;
  /** UI prefixes served (`/admin/`, `/app/`). */
  readonly served: string[];
  /** Whether each UI is built, being built in the background, or missing. */
  readonly uis: readonly UiStatus[];
  /** After `listen`: start long polling, or set the webhook. */
  startBot(): Promise<string>;
  close(): Promise<void>;
}

/**
 * Migrate, assemble the platform on the server's connections, make sure the first admin
 * exists, build missing UIs, add the routes and the /sync gateway to `app` (before `listen`).
 */
export async function startPlatform(options: StartPlatformOptions): Promise<StartedPlatform> {
  const { env, logger, redis } = options;
  // Channels follow the key prefix: deployments sharing one Redis never hear each other.
  const channelPrefix = `${options.keyspace.prefix}:bus:`;
  const bus: MessageBus =
    redis === undefined
      ? new LocalMessageBus({ logger })
      : new RedisMessageBus(redis, { logger, channelPrefix });
  await migratePlatform(options.sql, { schema: env.schema, identitySchemaPrefix: '' });
  const platform = createPlatform({
    ...options,
    bus,
    schema: env.schema,
    botToken: env.botToken,
    telegramApiRoot: env.telegramApiRoot,
    publicUrl: env.publicUrl,
  });
  const firstAdmin = await ensureFirstAdmin(platform.admins, env.adminEmail, env.adminPassword);
  const uis = [
    { prefix: '/admin/', root: join(APPS, 'admin', 'dist') },
    { prefix: '/app/', root: join(APPS, 'mini-app', 'dist') },
  ];
  let gateway: SyncGateway | undefined;
  const { served } = await registerPlatform(options.app, {
    platform,
    logger,
    system: {
      store: options.store,
      bus,
      gatewayClients: () => gateway?.io.engine.clientsCount ?? 0,
    },
    webhookSecret: env.webhookUrl === undefined ? undefined : env.webhookSecret,
    staticUis: uis,
    secureCookie: env.publicUrl.startsWith('https://'),
  });
  gateway = attachSyncGateway(options.app.server, {
    service: platform.sync,
    authenticate: platformSyncAuthenticator(platform.admins, platform.initDataSecret),
    ...(redis === undefined ? {} : { redis, adapterKey: `${options.keyspace.prefix}:sio` }),
    logger,
  });
  const started = gateway;
  const folders = [join(APPS, 'admin'), join(APPS, 'mini-app')];
  const builds = env.buildUis ? buildMissingUis(folders, logger) : undefined;
  const uiStatus = uis.map((ui, i) => ({
    prefix: ui.prefix,
    state: isBuilt(folders[i]!)
      ? 'built'
      : builds?.folders.includes(folders[i]!)
        ? 'building'
        : 'missing',
  })) as UiStatus[];
  return {
    platform,
    bus,
    gateway: started,
    firstAdmin,
    served,
    uis: uiStatus,
    startBot: () => startBot(platform, env, logger),
    async close() {
      builds?.stop();
      if (platform.bot.isRunning()) await platform.bot.stop();
      await started.close();
      await platform.close();
      await bus.close();
    },
  };
}

async function startBot(platform: Platform, env: PlatformEnv, logger: Logger): Promise<string> {
  if (!platform.online) return 'bot: no BOT_TOKEN, serving the playground only';
  await platform.bot.init();
  if (!env.publicUrl.startsWith('https://'))
    logger.warn(
      { publicUrl: env.publicUrl },
      'PUBLIC_URL is not https: Telegram refuses Mini App (web_app) buttons to it; set PUBLIC_URL to the https address of this server',
    );
  const name = `@${platform.bot.botInfo.username}`;
  if (env.webhookUrl !== undefined) {
    await platform.bot.api.setWebhook(`${env.webhookUrl}${WEBHOOK_PATH}`, {
      secret_token: env.webhookSecret!,
    });
    return `bot ${name}: webhook mode, Telegram posts to ${env.webhookUrl}${WEBHOOK_PATH}`;
  }
  platform.bot
    .start({ onStart: () => undefined })
    .catch((error: unknown) => logger.error({ err: error }, 'the bot stopped polling Telegram'));
  return `bot ${name}: long polling`;
}
