import { isPlatformError } from '../platform/platform-errors.ts';
import type { CompletionService } from '../services/completion-service.ts';
import type { SettingsService } from '../services/settings-service.ts';
import type { BotContext } from './bot-context.ts';
import { taskActions, taskList } from './keyboards.ts';
import { formatMoney } from './money.ts';

/** The bot's task screens: the list, one task, completing it (and a quiz's answer). */
export class TaskActions {
  readonly #completions: CompletionService;
  readonly #settings: SettingsService;

  constructor(completions: CompletionService, settings: SettingsService) {
    this.#completions = completions;
    this.#settings = settings;
  }

  /** The active tasks as inline buttons. */
  async list(ctx: BotContext): Promise<void> {
    const tasks = await this.#completions.tasksFor(ctx.platformUser);
    if (tasks.length === 0) {
      await ctx.reply('There are no tasks right now. Come back later!');
      return;
    }
    const { currency } = await this.#settings.get();
    await ctx.reply('Tasks: pick one.', {
      reply_markup: { inline_keyboard: taskList(tasks, currency) },
    });
  }

  /** One task: its description and how to complete it (a quiz asks its question). */
  async show(ctx: BotContext, taskId: number): Promise<void> {
    const task = (await this.#completions.tasksFor(ctx.platformUser)).find((t) => t.id === taskId);
    if (task === undefined) {
      await ctx.reply('This task is no longer available.');
      return;
    }
    if (task.completed) {
      await ctx.reply(`You have already completed “${task.title}”.`);
      return;
    }
    const { currency } = await this.#settings.get();
    const header = `${task.title}\n${task.description}\nReward: ${formatMoney(task.rewardMinor, currency)}`;
    if (task.type === 'quiz') {
      ctx.conversation = { kind: 'quiz', taskId };
      await ctx.reply(`${header}\n\n${task.question ?? ''}\nSend your answer.`);
      return;
    }
    await ctx.reply(header, { reply_markup: { inline_keyboard: taskActions(task) } });
  }

  /** Complete a task and say what happened. */
  async complete(ctx: BotContext, taskId: number, answer?: string): Promise<void> {
    try {
      const result = await this.#completions.complete(ctx.platformUser, taskId, answer);
      ctx.platformUser = result.user;
      const { currency } = await this.#settings.get();
      await ctx.reply(
        result.status === 'pending_review'
          ? 'Submitted: an admin will review it.'
          : `Done! Your balance: ${formatMoney(result.user.balanceMinor, currency)}.`,
      );
      if (ctx.conversation?.kind === 'quiz') ctx.conversation = null;
    } catch (error) {
      if (!isPlatformError(error)) throw error;
      if (error.code !== 'WRONG_ANSWER') ctx.conversation = null;
      await ctx.reply(error.message);
    }
  }
}
