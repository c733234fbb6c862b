import type { Telegraf } from 'telegraf';
import { commandArgs, wholeNumber } from '../bot/command-args.ts';
import { currentUser } from '../bot/current-user.ts';
import type { GoblinContext, GoblinDeps } from '../bot/goblin-context.ts';
import { reply } from '../bot/outbox.ts';
import { GoblinInputError } from '../errors.ts';

/** Catalog entries per page. */
export const CATALOG_PAGE_SIZE = 10;

/** The kickstarter catalog (paged, never loaded whole) and buying one. */
export function kickstartersFlow(bot: Telegraf<GoblinContext>, deps: GoblinDeps): void {
  bot.command('kickstarters', async (ctx) => {
    await currentUser(ctx, deps);
    const arg = commandArgs(ctx)[0];
    const session = ctx.userSession!;
    const page =
      arg === undefined ? session.catalogPage : wholeNumber(arg, 'Usage: /kickstarters [page]');
    const list = await deps.catalog(page * CATALOG_PAGE_SIZE, CATALOG_PAGE_SIZE);
    session.catalogPage = page;
    reply(
      ctx,
      list.length === 0
        ? 'No kickstarters on this page.'
        : list
            .map((k) => `${k.id}. ${k.name} by ${k.creator}: ${k.cost} scrolls (/buy ${k.id})`)
            .join('\n'),
    );
  });

  bot.command('buy', async (ctx) => {
    const id = String(wholeNumber(commandArgs(ctx)[0], 'Usage: /buy <kickstarter id>'));
    // Two independent row loads: side by side, not one after the other.
    const [user, kickstarter] = await Promise.all([
      currentUser(ctx, deps),
      ctx.kickstarters.get(id),
    ]);
    if (kickstarter === undefined)
      throw new GoblinInputError('GOBLIN_NOT_FOUND', `There is no kickstarter ${id}.`);
    if (user.purchases.kickstarters.includes(id))
      throw new GoblinInputError(
        'GOBLIN_ALREADY_OWNED',
        `You already have ${kickstarter.name}: ${kickstarter.link}`,
      );
    if (user.purchases.balance < kickstarter.cost)
      throw new GoblinInputError(
        'GOBLIN_BALANCE_TOO_LOW',
        `${kickstarter.name} costs ${kickstarter.cost} scrolls; you have ${user.purchases.balance}. Nothing was bought.`,
      );
    user.purchases.balance -= kickstarter.cost;
    user.purchases.scrollsSpent += kickstarter.cost;
    user.purchases.kickstarters.push(id);
    reply(
      ctx,
      `You bought ${kickstarter.name}: ${kickstarter.link}\nBalance: ${user.purchases.balance} scrolls.`,
    );
  });
}
