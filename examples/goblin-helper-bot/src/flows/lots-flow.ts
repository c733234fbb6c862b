import type { Telegraf } from 'telegraf';
import { commandArgs, wholeNumber } from '../bot/command-args.ts';
import { currentUser, requireRole } from '../bot/current-user.ts';
import type { GoblinContext, GoblinDeps } from '../bot/goblin-context.ts';
import { reply } from '../bot/outbox.ts';
import type { Lot } from '../domain/lot.ts';
import { hasRole } from '../domain/user.ts';
import { GoblinInputError } from '../errors.ts';

/** Lots: list, join, close, participants; `/nl` clears them (drafting: `lot-draft-flow.ts`). */
export function lotsFlow(bot: Telegraf<GoblinContext>, deps: GoblinDeps): void {
  bot.command('lots', async (ctx) => {
    await currentUser(ctx, deps);
    const open = (await ctx.lots.list()).filter(([, lot]) => lot.opened);
    reply(
      ctx,
      open.length === 0
        ? 'No open lots.'
        : open
            .map(
              ([id, l]) =>
                `#${id} ${l.name}: ${l.price} ${l.currency}, ${l.participants.length} in (/lotjoin ${id})`,
            )
            .join('\n'),
    );
  });

  // The last step of the handler: the join is saved when it resolves (see LotBoard.join).
  bot.command('lotjoin', async (ctx) => {
    const user = await currentUser(ctx, deps);
    const id = await lotIdOf(ctx, '/lotjoin');
    const participants = await ctx.lots.join(id, String(user.id));
    reply(ctx, `You joined lot #${id} (${participants} in).`);
  });

  bot.command('lotclose', async (ctx) => {
    const user = await currentUser(ctx, deps);
    const [id, lot] = await findLot(ctx, '/lotclose');
    if (lot.whoCreated.id !== user.id && !hasRole(user, 'admin', 'adminPlus'))
      throw new GoblinInputError(
        'GOBLIN_FORBIDDEN',
        `Only the author of lot #${id} or an admin may close it.`,
      );
    if (!lot.opened)
      throw new GoblinInputError('GOBLIN_LOT_CLOSED', `Lot #${id} is already closed.`);
    lot.opened = false;
    lot.closedAt = deps.now();
    reply(ctx, `Lot #${id} is closed with ${lot.participants.length} participants.`);
  });

  bot.command('lot', async (ctx) => {
    await currentUser(ctx, deps);
    const [id, lot] = await findLot(ctx, '/lot');
    reply(
      ctx,
      `#${id} ${lot.name} by ${lot.author}: ${lot.price} ${lot.currency}, ${lot.opened ? 'open' : 'closed'}\n${lot.link}\nParticipants: ${lot.participants.join(', ') || 'none'}`,
    );
  });

  // The seed's /nl set `ctx.globalSession.lots = []`, a property nothing reads, so the lots
  // stayed. Here it deletes every lot and the index, and only admins may.
  bot.command('nl', async (ctx) => {
    await requireRole(ctx, deps, 'admin', 'adminPlus');
    await ctx.lots.clear();
    reply(ctx, 'All lots were cleared.');
  });
}

/** The lot id a command names, or in a group the last lot created there (`chatSession.lastLotId`). */
async function lotIdOf(ctx: GoblinContext, command: string): Promise<string> {
  const arg = commandArgs(ctx)[0];
  const usage = `Usage: ${command} <lot id>`;
  const last =
    arg === undefined && ctx.chat?.type !== 'private' ? await ctx.chatSession : undefined;
  return last?.lastLotId ?? String(wholeNumber(arg, usage));
}

/** The lot a command names (locked for this update), or a reply that there is none. */
async function findLot(ctx: GoblinContext, command: string): Promise<[string, Lot]> {
  const id = await lotIdOf(ctx, command);
  const lot = await ctx.lots.get(id);
  if (lot === undefined) throw new GoblinInputError('GOBLIN_NOT_FOUND', `There is no lot #${id}.`);
  return [id, lot];
}
