import type { Telegraf } from 'telegraf';
import { commandArgs, userId, wholeNumber } from '../bot/command-args.ts';
import { currentUser, requireRole } from '../bot/current-user.ts';
import type { GoblinContext, GoblinDeps } from '../bot/goblin-context.ts';
import { reply } from '../bot/outbox.ts';
import { GoblinInputError } from '../errors.ts';

/** Registration on first contact, `/start`, `/balance`, and `/topup` for adminPlus. */
export function accountFlow(bot: Telegraf<GoblinContext>, deps: GoblinDeps): void {
  bot.start(async (ctx) => {
    const user = await currentUser(ctx, deps);
    const welcome = (await ctx.settings.get('welcomeText'))?.value ?? 'Welcome to the guild!';
    reply(ctx, `${welcome}\nBalance: ${user.purchases.balance} scrolls.`);
  });

  bot.command('balance', async (ctx) => {
    const { purchases } = await currentUser(ctx, deps);
    reply(
      ctx,
      [
        `Balance: ${purchases.balance} scrolls.`,
        `Scrolls spent: ${purchases.scrollsSpent}.`,
        `Groups: ${[...purchases.groups.regular.map((p) => `${p} regular`), ...purchases.groups.plus.map((p) => `${p} plus`)].join(', ') || 'none'}.`,
        `Kickstarters: ${purchases.kickstarters.length}.`,
      ].join('\n'),
    );
  });

  bot.command('topup', async (ctx) => {
    await requireRole(ctx, deps, 'adminPlus');
    const usage = 'Usage: /topup <userId> <scrolls>';
    const [who, amount] = commandArgs(ctx);
    const target = await ctx.users.get(userId(who, usage));
    const scrolls = wholeNumber(amount, usage);
    if (target === undefined)
      throw new GoblinInputError('GOBLIN_NOT_FOUND', `User ${who} has not talked to the bot yet.`);
    target.purchases.balance += scrolls;
    reply(ctx, `User ${who}: balance ${target.purchases.balance} scrolls.`);
  });
}
