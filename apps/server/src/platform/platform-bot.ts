import { Sessions } from '@hybridstate/telegram';
import type { Bot } from 'grammy';
import { BotCatalog } from '../bot/bot-catalog.ts';
import { type BotContext, botSessionDefinitions } from '../bot/bot-context.ts';
import { createBot } from '../bot/create-bot.ts';
import { sendPayoutNotices } from '../bot/payout-notices.ts';
import { ScenarioRunner } from '../bot/scenario-runner.ts';
import { TaskActions } from '../bot/task-actions.ts';
import { Playground } from '../playground/playground.ts';
import { PlaygroundCapture } from '../playground/playground-capture.ts';
import {
  PLATFORM_DEFAULTS,
  PLAYGROUND_BOT_INFO,
  type PlatformOptions,
} from './platform-options.ts';
import type { PlatformServices } from './platform-services.ts';

/** The bot with its keyboard cache and playground. */
export interface PlatformBot {
  readonly bot: Bot<BotContext>;
  readonly catalog: BotCatalog;
  readonly playground: Playground;
  /** Whether a real bot token is configured. */
  readonly online: boolean;
  /** Stop its event listeners. */
  close(): void;
}

/**
 * The grammY bot on the services: a real token talks to Telegram (playground updates are
 * still captured); without one a placeholder bot serves the playground only.
 */
export function createPlatformBot(
  options: PlatformOptions,
  services: PlatformServices,
): PlatformBot {
  const { users, settings, completions, sync, logger } = { ...services, logger: options.logger };
  const online = options.botToken !== undefined && options.botToken !== '';
  const capture = new PlaygroundCapture(!online);
  const catalog = new BotCatalog(sync, services.buttons, services.scenarios);
  const bot = createBot({
    token: online ? options.botToken! : '1:PLAYGROUND',
    botInfo: options.botInfo ?? (online ? undefined : PLAYGROUND_BOT_INFO),
    apiRoot: options.telegramApiRoot,
    sessions: new Sessions(options.store, options.keyspace, botSessionDefinitions()),
    users,
    settings,
    catalog,
    runner: new ScenarioRunner(users),
    tasks: new TaskActions(completions, settings),
    messages: services.messages,
    miniAppUrl: `${options.publicUrl ?? PLATFORM_DEFAULTS.publicUrl}/app/`,
    transformers: [capture.transformer],
    logger,
  });
  const stopNotices = sendPayoutNotices(sync, bot.api, settings, logger);
  return {
    bot,
    catalog,
    playground: new Playground(bot, capture),
    online,
    close() {
      stopNotices();
      catalog.close();
    },
  };
}
