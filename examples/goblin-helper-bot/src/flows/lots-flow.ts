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

  bot.command('lotjoin', async (ctx) => {
    const user = await currentUser(ctx, deps);
    const [id, lot] = await findLot(ctx, '/lotjoin');
    if (!lot.opened) throw new GoblinInputError('GOBLIN_LOT_CLOSED', `Lot #${id} is closed.`);
    if (lot.participants.includes(String(user.id)))
      throw new GoblinInputError('GOBLIN_LOT_JOINED', `You are already in lot #${id}.`);
    lot.participants.push(String(user.id));
    reply(ctx, `You joined lot #${id} (${lot.participants.length} in).`);
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

/** The lot a command names, or in a group the last lot created there (`chatSession.lastLotId`). */
async function findLot(ctx: GoblinContext, command: string): Promise<[string, Lot]> {
  const arg = commandArgs(ctx)[0];
  const usage = `Usage: ${command} <lot id>`;
  const last =
    arg === undefined && ctx.chat?.type !== 'private' ? await ctx.chatSession : undefined;
  const id = last?.lastLotId ?? String(wholeNumber(arg, usage));
  const lot = await ctx.lots.get(id);
  if (lot === undefined) throw new GoblinInputError('GOBLIN_NOT_FOUND', `There is no lot #${id}.`);
  return [id, lot];
}
