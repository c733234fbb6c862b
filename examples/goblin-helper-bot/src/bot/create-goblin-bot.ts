import type { Keyspace, SqlClient, TieredStore } from '@hybridstate/core';
import type { Sessions } from '@hybridstate/telegram';
import { Telegraf } from 'telegraf';
import { goblinBridge } from '../bridge/goblin-bridge.ts';
import { kickstarterPage } from '../bridge/kickstarters-collection.ts';
import { keyedLots } from '../state/keyed-lot-board.ts';
import { declareLotFamilies, type LotFamilies } from '../state/lot-families.ts';
import type { GlobalSession } from '../state/session-values.ts';
import {
  type GoblinSessionDefinitions,
  type GoblinSessionOptions,
  goblinSessions,
} from '../state/sessions.ts';
import type { GoblinContext, GoblinDeps } from './goblin-context.ts';
import { outbox } from './outbox.ts';
import { registerFlows } from './register-flows.ts';

/** Options of {@link createGoblinBot}. */
export interface GoblinBotOptions extends GoblinSessionOptions {
  /** The bot token (`BOT_TOKEN`). */
  readonly token: string;
  /** Telegraf's Bot API options, e.g. `{ apiRoot }` for a self-hosted Bot API server. */
  readonly telegram?: Partial<Telegraf.Options<GoblinContext>['telegram']>;
  readonly store: TieredStore;
  /** Where the session families are declared (the store's keyspace). */
  readonly keyspace: Keyspace;
  /** PostgreSQL for the domain tables. */
  readonly sql: SqlClient;
  /** The schema holding the domain tables (see `migrateGoblinSchema`). */
  readonly schema: string;
  /** Users made `adminPlus` on first contact. @default [] */
  readonly ownerIds?: readonly number[];
  /** @default Date.now */
  readonly now?: () => number;
}

/** A Telegraf bot and the parts tests and tools reach for. */
export interface GoblinBot {
  readonly bot: Telegraf<GoblinContext>;
  readonly sessions: Sessions<GoblinSessionDefinitions>;
  /** The lots' key families (one key per lot, and the index). */
  readonly lots: LotFamilies;
}

/**
 * GoblinHelperBot on hybridstate: the outbox (replies go out after the state is saved; input
 * errors become the reply), then the sessions (the per-user lock and read in one round trip),
 * then the lots (one key per lot, locked when a handler gets one), then the lazy PG bridge,
 * then the flows. The bridge writes its rows first, then the lots, then the sessions.
 *
 * @example
 * ```ts
 * const { bot } = createGoblinBot({ token, store, keyspace, sql, schema: 'goblin' });
 * await bot.launch();
 * ```
 */
export function createGoblinBot(options: GoblinBotOptions): GoblinBot {
  const bot = new Telegraf<GoblinContext>(options.token, {
    ...(options.telegram === undefined ? {} : { telegram: options.telegram }),
  });
  const sessions = goblinSessions(options.store, options.keyspace, options);
  const lots = declareLotFamilies(options.keyspace);
  const global = sessions.properties.find((p) => p.property === 'globalSession')!;
  const initial = global.initial as () => GlobalSession;
  const deps: GoblinDeps = {
    currentMonth: async () =>
      ((await options.store.get(global.family.key({} as never))) as GlobalSession | undefined)
        ?.current ?? initial().current,
    catalog: (offset, limit) => kickstarterPage(options.sql, options.schema, offset, limit),
    ownerIds: options.ownerIds ?? [],
    now: options.now ?? Date.now,
  };
  bot.use(outbox() as never);
  bot.use(sessions.telegraf<GoblinContext>());
  bot.use(keyedLots(options.store, lots) as never);
  bot.use(goblinBridge(options.sql, options.schema) as never);
  registerFlows(bot, deps);
  return { bot, sessions, lots };
}
