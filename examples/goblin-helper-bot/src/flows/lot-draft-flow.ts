import type { Telegraf } from 'telegraf';
import { commandArgs, must } from '../bot/command-args.ts';
import { currentUser } from '../bot/current-user.ts';
import type { GoblinContext, GoblinDeps } from '../bot/goblin-context.ts';
import { reply } from '../bot/outbox.ts';
import { checkDraft, LOT_PHOTOS, type Lot } from '../domain/lot.ts';
import type { GoblinUser } from '../domain/user.ts';
import { GoblinInputError } from '../errors.ts';

const SAVE_USAGE = 'Usage: /lotsave <price> <USD|EUR|RUB> <link> <author> <name...>';

/** Drafting a lot in the scene session: `/newlot`, photos (1 to 10), `/lotsave`. */
export function lotDraftFlow(bot: Telegraf<GoblinContext>, deps: GoblinDeps): void {
  bot.command('newlot', async (ctx) => {
    await currentUser(ctx, deps);
    // Lazy sessions are assigned their value (the setter takes the lock first).
    ctx.scene = { lot: { photos: [] } } as never;
    reply(ctx, `Send ${LOT_PHOTOS.min} to ${LOT_PHOTOS.max} photos, then ${SAVE_USAGE}`);
  });

  bot.on('photo', async (ctx, next) => {
    const draft = (await ctx.scene)?.lot;
    if (draft === undefined) return next();
    if (draft.photos.length >= LOT_PHOTOS.max)
      throw new GoblinInputError(
        'GOBLIN_LOT_INVALID',
        `A lot has at most ${LOT_PHOTOS.max} photos: this one was not added. Send ${SAVE_USAGE}`,
      );
    draft.photos.push(ctx.message.photo.at(-1)!.file_id);
    reply(ctx, `Photo ${draft.photos.length} of at most ${LOT_PHOTOS.max} added.`);
  });

  bot.command('lotsave', (ctx) => saveLot(ctx, deps));
}

/** `/lotsave`: check the draft against the seed's invariants, then open the lot. */
async function saveLot(ctx: GoblinContext, deps: GoblinDeps): Promise<void> {
  const user = await currentUser(ctx, deps);
  const draft = (await ctx.scene)?.lot;
  if (draft === undefined)
    throw new GoblinInputError('GOBLIN_USAGE', 'Start a lot with /newlot first.');
  const [price = '', currency = '', link = '', author = '', ...words] = commandArgs(ctx);
  if (words.length === 0) throw new GoblinInputError('GOBLIN_USAGE', SAVE_USAGE);
  const name = words.join(' ');
  const checked = checkDraft({ photos: draft.photos, price, currency, link, author, name });
  const lot: Lot = {
    photo: draft.photos[0]!,
    photos: draft.photos,
    ...checked,
    link,
    author,
    name,
    whoCreated: authorOf(user),
    participants: [],
    chatID: String(ctx.chat!.id),
    opened: true,
  };
  const id = await ctx.lots.add(lot, deps.now());
  ctx.scene = null as never;
  if (ctx.chat?.type !== 'private') (await must(ctx.chatSession)).lastLotId = id;
  reply(ctx, `Lot #${id} "${name}" is open: /lotjoin ${id}`);
}

function authorOf(user: GoblinUser): Lot['whoCreated'] {
  return {
    id: user.id,
    username: user.username,
    first_name: user.first_name,
    last_name: user.last_name,
  };
}
