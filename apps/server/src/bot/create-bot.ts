import type { Logger } from '@hybridstate/core';
import type { Sessions } from '@hybridstate/telegram';
import { Bot, type Transformer } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import type { Button } from '../services/buttons.ts';
import type { MessageLog } from '../services/message-log.ts';
import type { SettingsService } from '../services/settings-service.ts';
import type { UserService } from '../services/user-service.ts';
import type { BotCatalog } from './bot-catalog.ts';
import type { BotContext, botSessionDefinitions } from './bot-context.ts';
import { mainKeyboard } from './keyboards.ts';
import { formatMoney } from './money.ts';
import type { ScenarioRunner } from './scenario-runner.ts';
import type { TaskActions } from './task-actions.ts';

/** What the bot is built from. */
export interface BotDeps {
  /** The bot token; a placeholder when the bot only serves the playground. */
  readonly token: string;
  /** Skips `getMe` (tests, the playground without a token). */
  readonly botInfo?: UserFromGetMe | undefined;
  /** grammY's `client.apiRoot`: a self-hosted Bot API server or an emulator. */
  readonly apiRoot?: string | undefined;
  readonly sessions: Sessions<ReturnType<typeof botSessionDefinitions>>;
  readonly users: UserService;
  readonly settings: SettingsService;
  readonly catalog: BotCatalog;
  readonly runner: ScenarioRunner;
  readonly tasks: TaskActions;
  readonly messages: MessageLog;
  /** The Mini App's address for `web_app` buttons. */
  readonly miniAppUrl: string;
  readonly logger: Logger;
  /** Installed before the message log (the playground's capture). */
  readonly transformers?: readonly Transformer[];
}

/**
 * The platform's grammY bot: `/start` registers the user and shows the welcome text with the
 * main keyboard (active buttons, cached); buttons run scenarios, list tasks, show the balance,
 * open the Mini App or a link; scenario and quiz answers go through the hybridstate
 * conversation session; every message in and out lands in the conversation log.
 */
export function createBot(deps: BotDeps): Bot<BotContext> {
  const bot = new Bot<BotContext>(deps.token, {
    ...(deps.botInfo === undefined ? {} : { botInfo: deps.botInfo }),
    ...(deps.apiRoot === undefined ? {} : { client: { apiRoot: deps.apiRoot } }),
  });
  bot.api.config.use(...(deps.transformers ?? []), outgoingLog(deps.messages));
  // Long polling stops on an unhandled error unless one is set: log it and go on.
  bot.catch((error) =>
    deps.logger.error(
      { err: error.error, updateId: error.ctx.update.update_id },
      'the bot failed to handle an update',
    ),
  );
  bot.use(incomingLog(deps.messages));
  bot.use(deps.sessions.grammy());
  bot.use(registerUser(deps));
  handleUpdates(bot, deps);
  return bot;
}

/** Find or register the sender; a banned user is told so and goes no further. */
function registerUser(deps: BotDeps) {
  return async (ctx: BotContext, next: () => Promise<void>) => {
    if (ctx.from === undefined || ctx.from.is_bot) return;
    const { user } = await deps.users.register({
      id: ctx.from.id,
      username: ctx.from.username,
      firstName: ctx.from.first_name,
    });
    if (user.status === 'banned') return void (await ctx.reply('Your account is blocked.'));
    ctx.platformUser = user;
    await next();
  };
}

/** `/start`, the task buttons and every text message. */
function handleUpdates(bot: Bot<BotContext>, deps: BotDeps): void {
  bot.command('start', async (ctx) => {
    ctx.conversation = null;
    await sendWelcome(ctx, deps);
  });
  bot.callbackQuery(/^task:(\d+)$/, async (ctx) => {
    await ctx.answerCallbackQuery();
    await deps.tasks.show(ctx, Number(ctx.match[1]));
  });
  bot.callbackQuery(/^done:(\d+)$/, async (ctx) => {
    await ctx.answerCallbackQuery();
    await deps.tasks.complete(ctx, Number(ctx.match[1]));
  });
  bot.on('callback_query', (ctx) => ctx.answerCallbackQuery('This button is out of date.'));
  bot.on('message:text', (ctx) => onText(ctx, deps));
}

async function sendWelcome(ctx: BotContext, deps: BotDeps): Promise<void> {
  const [{ welcomeText }, buttons] = await Promise.all([
    deps.settings.get(),
    deps.catalog.buttons(),
  ]);
  await ctx.reply(welcomeText, { reply_markup: mainKeyboard(buttons) });
}

async function onText(ctx: BotContext, deps: BotDeps): Promise<void> {
  const text = ctx.message!.text!;
  if (text.startsWith('/')) return onCommand(ctx, deps, text.slice(1).split(/[\s@]/)[0] ?? '');
  // A keyboard button always works, even in the middle of a question: it leaves the question.
  const button = (await deps.catalog.buttons()).find((b) => b.label === text);
  if (button !== undefined) return onButton(ctx, deps, button);
  const state = ctx.conversation;
  if (state?.kind === 'quiz') return deps.tasks.complete(ctx, state.taskId, text);
  if (state?.kind === 'scenario') {
    const scenario = await deps.catalog.scenario(state.scenarioId);
    if (scenario !== undefined) return deps.runner.answer(ctx, scenario, state.step, text);
    ctx.conversation = null;
  }
  await ctx.reply('Use the buttons below, or send /start.', {
    reply_markup: mainKeyboard(await deps.catalog.buttons()),
  });
}

async function onCommand(ctx: BotContext, deps: BotDeps, command: string): Promise<void> {
  const scenario = (await deps.catalog.scenarios()).find((s) => s.command === command);
  if (scenario === undefined) return void (await ctx.reply('Unknown command. Send /start.'));
  ctx.conversation = null;
  await deps.runner.run(ctx, scenario);
}

async function onButton(ctx: BotContext, deps: BotDeps, button: Button): Promise<void> {
  ctx.conversation = null;
  if (button.action === 'tasks') return deps.tasks.list(ctx);
  if (button.action === 'balance') {
    const { currency } = await deps.settings.get();
    const user = ctx.platformUser;
    const held =
      user.heldMinor > 0 ? ` (${formatMoney(user.heldMinor, currency)} held for payouts)` : '';
    return void (await ctx.reply(
      `Your balance: ${formatMoney(user.balanceMinor, currency)}${held}.`,
    ));
  }
  if (button.action === 'mini_app')
    return void (await ctx.reply('Open the app:', {
      reply_markup: {
        inline_keyboard: [[{ text: button.label, web_app: { url: deps.miniAppUrl } }]],
      },
    }));
  if (button.action === 'link')
    return void (await ctx.reply(button.label, {
      reply_markup: { inline_keyboard: [[{ text: 'Open', url: button.payload ?? '' }]] },
    }));
  const scenario = await deps.catalog.scenario(Number(button.payload));
  if (scenario === undefined) return void (await ctx.reply('This scenario is not available.'));
  await deps.runner.run(ctx, scenario);
}

function incomingLog(messages: MessageLog) {
  return async (ctx: BotContext, next: () => Promise<void>) => {
    const text = ctx.message?.text ?? ctx.callbackQuery?.data;
    if (text !== undefined)
      await messages.record({
        telegramId: ctx.from?.id ?? null,
        chatId: ctx.chat?.id ?? null,
        direction: 'in',
        text,
        ...(ctx.callbackQuery === undefined ? {} : { payload: { callbackData: text } }),
      });
    await next();
  };
}

/** Log `sendMessage` and `editMessageText` after they succeed. */
function outgoingLog(messages: MessageLog): Transformer {
  return async (prev, method, payload, signal) => {
    const result = await prev(method, payload, signal);
    if (result.ok && (method === 'sendMessage' || method === 'editMessageText')) {
      const p = payload as { chat_id?: number | string; text?: string; reply_markup?: unknown };
      await messages.record({
        telegramId: null,
        chatId: typeof p.chat_id === 'number' ? p.chat_id : Number(p.chat_id) || null,
        direction: 'out',
        text: p.text ?? null,
        ...(p.reply_markup === undefined ? {} : { payload: { replyMarkup: p.reply_markup } }),
      });
    }
    return result;
  };
}
