import { randomBytes } from 'node:crypto';
import { type AppStack, createAppStack, identitySchema } from '@hybridstate/identity';
import type { Bot } from 'grammy';
import { AdminAccounts } from '../auth/admin-accounts.ts';
import type { BotCatalog } from '../bot/bot-catalog.ts';
import type { BotContext } from '../bot/bot-context.ts';
import type { Playground } from '../playground/playground.ts';
import { createPlatformBot } from './platform-bot.ts';
import { PLATFORM_DEFAULTS, type PlatformOptions } from './platform-options.ts';
import { createServices, type PlatformServices } from './platform-services.ts';

/** The running platform: its services, admin accounts, bot and playground. */
export interface Platform extends Omit<PlatformServices, 'stopCaching'> {
  readonly options: PlatformOptions;
  readonly adminStack: AppStack;
  readonly admins: AdminAccounts;
  readonly catalog: BotCatalog;
  readonly bot: Bot<BotContext>;
  readonly playground: Playground;
  /** Signs and verifies Mini App initData: the bot token, or the playground secret. */
  readonly initDataSecret: string;
  /** Whether a real bot token is configured. */
  readonly online: boolean;
  /** Stop listeners and timers (the injected connections stay open). */
  close(): Promise<void>;
}

/**
 * Assemble the platform on existing connections (run `migratePlatform` first). Nothing here
 * opens a connection or talks to Telegram; `startBot` does that.
 */
export function createPlatform(options: PlatformOptions): Platform {
  const services = createServices(options);
  const adminStack = identityStack(options);
  const prefix = options.identitySchemaPrefix ?? PLATFORM_DEFAULTS.identitySchemaPrefix;
  const schema = identitySchema({ schemaPrefix: prefix });
  const {
    bot,
    catalog,
    playground,
    online,
    close: closeBot,
  } = createPlatformBot(options, services);
  return {
    ...services,
    options,
    adminStack,
    admins: new AdminAccounts(adminStack, options.sql, schema),
    catalog,
    bot,
    playground,
    initDataSecret: online
      ? options.botToken!
      : (options.playgroundSecret ?? randomBytes(24).toString('base64url')),
    online,
    async close() {
      services.stopCaching();
      closeBot();
      adminStack.close();
      await services.sync.close();
    },
  };
}

function identityStack(options: PlatformOptions): AppStack {
  return createAppStack('admin', {
    sql: options.sql,
    ...(options.redis === undefined ? {} : { redis: options.redis }),
    bus: options.bus,
    keyspace: options.keyspace,
    schemaPrefix: options.identitySchemaPrefix ?? PLATFORM_DEFAULTS.identitySchemaPrefix,
    // Admin roles are read on every admin request: keep them in memory, dropped on every
    // instance over the platform's bus when a role changes (and all of them on a resync).
    users: { memoryTtlMs: 60_000 },
    logger: options.logger,
  });
}
