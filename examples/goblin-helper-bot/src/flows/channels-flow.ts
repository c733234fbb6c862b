import type { Telegraf } from 'telegraf';
import { must } from '../bot/command-args.ts';
import type { GoblinContext } from '../bot/goblin-context.ts';
import { emptyChannel } from '../state/session-values.ts';

/** The mark of an index entry in a channel post. */
export const INDEX_MARK = '🔸';

/**
 * The channel indexer. The seed ran it beside the middleware on a raw `sessionInstance`
 * (read the whole `channelsSession`, edit, save it back): concurrent posts overwrote each
 * other (seed defects 2 and 3). Here it is ordinary middleware on the same `channelsSession`,
 * locked per update like every session.
 */
export function channelsFlow(bot: Telegraf<GoblinContext>): void {
  bot.on('channel_post', async (ctx, next) => {
    const post = ctx.channelPost;
    const text = 'text' in post ? post.text : 'caption' in post ? (post.caption ?? '') : '';
    const id = String(ctx.chat.id);
    if (text.trim() === 'reset') {
      const session = await must(ctx.channelsSession);
      session.channels[id] = emptyChannel();
      return;
    }
    if (!text.includes(INDEX_MARK)) return next();
    const session = await must(ctx.channelsSession);
    const channel = session.channels[id] ?? emptyChannel();
    session.channels[id] = channel;
    if (channel.locked) return;
    channel.indexers.push(post.message_id);
    for (const tag of text.match(/#[\p{L}\p{N}_]+/gu) ?? [])
      if (!channel.studios.includes(tag.slice(1))) channel.studios.push(tag.slice(1));
  });
}
