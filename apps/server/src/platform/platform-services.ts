import { SyncService } from '@hybridstate/sync';
import { AuditLog } from '../services/audit-log.ts';
import { type Button, buttonsTable } from '../services/buttons.ts';
import { CompletionService } from '../services/completion-service.ts';
import { EntityService, type EntityServiceOf } from '../services/entity-service.ts';
import { MessageLog } from '../services/message-log.ts';
import { PayoutService } from '../services/payout-service.ts';
import { ReviewService } from '../services/review-service.ts';
import { type Scenario, scenariosTable } from '../services/scenarios.ts';
import { SettingsService } from '../services/settings-service.ts';
import { type Task, tasksTable } from '../services/tasks.ts';
import { UserService } from '../services/user-service.ts';
import { Wallet } from '../services/wallet.ts';
import { EventPublisher } from './event-publisher.ts';
import { type PlatformDb, platformDb } from './platform-db.ts';
import { PLATFORM_DEFAULTS, type PlatformOptions } from './platform-options.ts';
import { ReadCache } from './read-cache.ts';
import { dropOnEvents } from './read-cache-events.ts';

/** The domain services, one per concept, sharing the database, events and read cache. */
export interface PlatformServices {
  readonly db: PlatformDb;
  readonly sync: SyncService;
  readonly audit: AuditLog;
  readonly buttons: EntityServiceOf<Button>;
  readonly scenarios: EntityServiceOf<Scenario>;
  readonly tasks: EntityServiceOf<Task>;
  readonly users: UserService;
  readonly completions: CompletionService;
  readonly payouts: PayoutService;
  readonly settings: SettingsService;
  readonly messages: MessageLog;
  readonly reviews: ReviewService;
  /** Stop dropping cached reads on events. */
  readonly stopCaching: () => void;
}

/** Build the services on the options' connections, with the read cache wired to sync events. */
export function createServices(options: PlatformOptions): PlatformServices {
  const { logger } = options;
  const db = platformDb(options.sql, options.schema ?? PLATFORM_DEFAULTS.schema);
  const sync = new SyncService({ bus: options.bus, logger });
  const events = new EventPublisher(sync, logger);
  const audit = new AuditLog(db);
  const cache = new ReadCache(options.readCache);
  const deps = { db, audit, events, cache };
  const wallet = new Wallet(db);
  const settings = new SettingsService({ ...deps, sync });
  const buttons = new EntityService(buttonsTable, deps);
  const scenarios = new EntityService(scenariosTable, deps);
  const tasks = new EntityService(tasksTable, deps);
  const stopCaching = dropOnEvents(sync, cache, {
    buttons: buttons.cachePrefix,
    scenarios: scenarios.cachePrefix,
    tasks: tasks.cachePrefix,
  });
  return {
    db,
    sync,
    audit,
    buttons,
    scenarios,
    tasks,
    settings,
    users: new UserService(deps),
    completions: new CompletionService({ db, wallet, events, cache }),
    payouts: new PayoutService({ ...deps, wallet, settings }),
    messages: new MessageLog(db, logger),
    reviews: new ReviewService({ db, wallet, audit, events }),
    stopCaching,
  };
}
