import { randomBytes } from 'node:crypto';
import { type AppStack, createAppStack, identitySchema } from '@hybridstate/identity';
import { SyncService } from '@hybridstate/sync';
import { Sessions } from '@hybridstate/telegram';
import type { Bot } from 'grammy';
import { AdminAccounts } from '../auth/admin-accounts.ts';
import { BotCatalog } from '../bot/bot-catalog.ts';
import { type BotContext, botSessionDefinitions } from '../bot/bot-context.ts';
import { createBot } from '../bot/create-bot.ts';
import { sendPayoutNotices } from '../bot/payout-notices.ts';
import { ScenarioRunner } from '../bot/scenario-runner.ts';
import { TaskActions } from '../bot/task-actions.ts';
import { Playground } from '../playground/playground.ts';
import { PlaygroundCapture } from '../playground/playground-capture.ts';
import { AuditLog } from '../services/audit-log.ts';
import { type Button, buttonsTable } from '../services/buttons.ts';
import { CompletionService } from '../services/completion-service.ts';
import { EntityService, type EntityServiceOf } from '../services/entity-service.ts';
import { MessageLog } from '../services/message-log.ts';
import { PayoutService } from '../services/payout-service.ts';
import { type Scenario, scenariosTable } from '../services/scenarios.ts';
import { SettingsService } from '../services/settings-service.ts';
import { type Task, tasksTable } from '../services/tasks.ts';
import { UserService } from '../services/user-service.ts';
import { Wallet } from '../services/wallet.ts';
import { EventPublisher } from './event-publisher.ts';
import { type PlatformDb, platformDb } from './platform-db.ts';
import {
  PLATFORM_DEFAULTS,
  PLAYGROUND_BOT_INFO,
  type PlatformOptions,
} from './platform-options.ts';
import { ReadCache } from './read-cache.ts';
import { dropOnEvents } from './read-cache-events.ts';

/** The running platform: its services, admin accounts, bot and playground. */
export interface Platform {
  readonly options: PlatformOptions;
  readonly db: PlatformDb;
  readonly sync: SyncService;
  readonly adminStack: AppStack;
  readonly admins: AdminAccounts;
  readonly audit: AuditLog;
  readonly buttons: EntityServiceOf<Button>;
  readonly scenarios: EntityServiceOf<Scenario>;
  readonly tasks: EntityServiceOf<Task>;
  readonly users: UserService;
  readonly completions: CompletionService;
  readonly payouts: PayoutService;
  readonly settings: SettingsService;
  readonly messages: MessageLog;
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
  const { logger } = options;
  const db = platformDb(options.sql, options.schema ?? PLATFORM_DEFAULTS.schema);
  const sync = new SyncService({ bus: options.bus, logger });
  const events = new EventPublisher(sync, logger);
  const audit = new AuditLog(db);
  const cache = new ReadCache(options.readCache);
  const deps = { db, audit, events, cache };
  const wallet = new Wallet(db);
  const settings = new SettingsService({ ...deps, sync });
  const users = new UserService(deps);
  const buttons = new EntityService(buttonsTable, deps);
  const scenarios = new EntityService(scenariosTable, deps);
  const tasks = new EntityService(tasksTable, deps);
  const completions = new CompletionService({ db, wallet, events, cache });
  const stopDropping = dropOnEvents(sync, cache, {
    buttons: buttons.cachePrefix,
    scenarios: scenarios.cachePrefix,
    tasks: tasks.cachePrefix,
  });
  const payouts = new PayoutService({ ...deps, wallet, settings });
  const messages = new MessageLog(db, logger);
  const adminStack = identityStack(options);
  const prefix = options.identitySchemaPrefix ?? PLATFORM_DEFAULTS.identitySchemaPrefix;
  const admins = new AdminAccounts(
    adminStack,
    options.sql,
    identitySchema({ schemaPrefix: prefix }),
  );
  const catalog = new BotCatalog(sync, buttons, scenarios);
  const online = options.botToken !== undefined && options.botToken !== '';
  const capture = new PlaygroundCapture(!online);
  const bot = createBot({
    token: online ? options.botToken! : '1:PLAYGROUND',
    botInfo: options.botInfo ?? (online ? undefined : PLAYGROUND_BOT_INFO),
    sessions: new Sessions(options.store, options.keyspace, botSessionDefinitions()),
    users,
    settings,
    catalog,
    runner: new ScenarioRunner(users),
    tasks: new TaskActions(completions, settings),
    messages,
    miniAppUrl: `${options.publicUrl ?? PLATFORM_DEFAULTS.publicUrl}/app/`,
    transformers: [capture.transformer],
    logger,
  });
  const stopNotices = sendPayoutNotices(sync, bot.api, settings, logger);
  return {
    options,
    db,
    sync,
    adminStack,
    admins,
    audit,
    buttons,
    scenarios,
    tasks,
    users,
    completions,
    payouts,
    settings,
    messages,
    catalog,
    bot,
    playground: new Playground(bot, capture),
    initDataSecret: online
      ? options.botToken!
      : (options.playgroundSecret ?? randomBytes(24).toString('base64url')),
    online,
    async close() {
      stopDropping();
      stopNotices();
      catalog.close();
      adminStack.close();
      await sync.close();
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
    logger: options.logger,
  });
}
