import type { Telegraf } from 'telegraf';
import { commandArgs, must } from '../bot/command-args.ts';
import { currentUser, requireRole } from '../bot/current-user.ts';
import type { GoblinContext, GoblinDeps } from '../bot/goblin-context.ts';
import { reply } from '../bot/outbox.ts';
import { monthKey } from '../domain/month.ts';
import { parseGroupType, parsePeriod, periodOf } from '../domain/period.ts';
import { GoblinInputError } from '../errors.ts';

/** Prices of a month's groups in scrolls when the settings name none. */
export const DEFAULT_GROUP_PRICES = { regular: 10, plus: 20 } as const;

/** Joining the current month's `regular` or `plus` group; admins set the month and its groups. */
export function groupsFlow(bot: Telegraf<GoblinContext>, deps: GoblinDeps): void {
  bot.command('join', async (ctx) => {
    const user = await currentUser(ctx, deps);
    const type = parseGroupType(commandArgs(ctx)[0]);
    const period = periodOf(await deps.currentMonth(ctx));
    const month = await ctx.months.get(monthKey(period, type));
    if (month === undefined)
      throw new GoblinInputError(
        'GOBLIN_NOT_FOUND',
        `There is no ${type} group for ${period} yet.`,
      );
    if (user.purchases.groups[type].includes(period))
      throw new GoblinInputError(
        'GOBLIN_ALREADY_OWNED',
        `You are already in the ${period} ${type} group: ${month.link}`,
      );
    const setting = await ctx.settings.get(type === 'regular' ? 'priceRegular' : 'pricePlus');
    const price = setting === undefined ? DEFAULT_GROUP_PRICES[type] : Number(setting.value);
    if (!Number.isSafeInteger(price) || price < 0)
      throw new GoblinInputError(
        'GOBLIN_USAGE',
        `The ${type} group's price setting is "${setting?.value}", not a whole number of scrolls: ask an admin to fix it. Nothing was charged.`,
      );
    if (user.purchases.balance < price)
      throw new GoblinInputError(
        'GOBLIN_BALANCE_TOO_LOW',
        `The ${type} group costs ${price} scrolls; you have ${user.purchases.balance}.`,
      );
    user.purchases.balance -= price;
    user.purchases.scrollsSpent += price;
    user.purchases.groups[type].push(period);
    month.counter.paid += 1;
    month.counter.joined += 1;
    reply(ctx, `Welcome to the ${period} ${type} group: ${month.link}`);
  });

  bot.command('period', async (ctx) => {
    await requireRole(ctx, deps, 'admin', 'adminPlus');
    const current = parsePeriod(commandArgs(ctx)[0] ?? '');
    const global = await must(ctx.globalSession);
    global.current = current;
    reply(ctx, `The current month is now ${periodOf(current)}.`);
  });

  bot.command('month', async (ctx) => {
    await requireRole(ctx, deps, 'admin', 'adminPlus');
    const [typeText, chatId, link] = commandArgs(ctx);
    const type = parseGroupType(typeText);
    if (chatId === undefined || !/^-?[1-9]\d{0,15}$/.test(chatId) || link === undefined)
      throw new GoblinInputError(
        'GOBLIN_USAGE',
        'Usage: /month <regular|plus> <chatId> <invite link>',
      );
    const period = periodOf(await deps.currentMonth(ctx));
    const month = await ctx.months.get(monthKey(period, type));
    if (month === undefined)
      ctx.months.set({ period, type, id: chatId, link, counter: { joined: 0, paid: 0 } });
    else Object.assign(month, { id: chatId, link });
    reply(ctx, `The ${period} ${type} group is ${chatId} (${link}).`);
  });
}
