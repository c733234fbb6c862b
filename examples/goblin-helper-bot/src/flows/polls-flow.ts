import type { Telegraf } from 'telegraf';
import { commandArgs, must } from '../bot/command-args.ts';
import { requireRole } from '../bot/current-user.ts';
import type { GoblinContext, GoblinDeps } from '../bot/goblin-context.ts';
import { reply } from '../bot/outbox.ts';
import { GoblinInputError } from '../errors.ts';
import type { PollsSession } from '../state/session-values.ts';

/** How long a poll's votes are kept (pruned when a new poll is created). */
export const POLL_RETENTION_MS = 30 * 24 * 3_600_000;

/** Studio polls: admins list studios and start a poll; answers are recorded per user. */
export function pollsFlow(bot: Telegraf<GoblinContext>, deps: GoblinDeps): void {
  bot.command('studio', async (ctx) => {
    await requireRole(ctx, deps, 'admin', 'adminPlus');
    const name = commandArgs(ctx).join(' ');
    if (name === '') throw new GoblinInputError('GOBLIN_USAGE', 'Usage: /studio <name>');
    const global = await must(ctx.globalSession);
    if (!global.studios.includes(name)) global.studios.push(name);
    reply(ctx, `Studios: ${global.studios.join(', ')}`);
  });

  bot.command('poll', async (ctx) => {
    await requireRole(ctx, deps, 'admin', 'adminPlus');
    const { studios } = await must(ctx.globalSession);
    if (studios.length < 2)
      throw new GoblinInputError(
        'GOBLIN_USAGE',
        'A poll needs at least two studios: add them with /studio <name>.',
      );
    const options = studios.slice(0, 10);
    const sent = await ctx.replyWithPoll('Which studio next?', options, { is_anonymous: false });
    const polls = await must(ctx.polls);
    prunePolls(polls, deps.now());
    polls.list[sent.poll?.id ?? String(sent.message_id)] = {
      chatId: ctx.chat.id,
      options,
      votes: {},
      createdAt: deps.now(),
    };
  });

  // A poll answer has no chat: only the global `polls` session is touched here.
  bot.on('poll_answer', async (ctx) => {
    const answer = ctx.pollAnswer;
    const polls = await must(ctx.polls);
    const poll = polls.list[answer.poll_id];
    if (poll === undefined || answer.user === undefined) return;
    if (answer.option_ids.length === 0) delete poll.votes[answer.user.id];
    else poll.votes[answer.user.id] = answer.option_ids;
  });
}

function prunePolls(polls: PollsSession, now: number): void {
  for (const [id, poll] of Object.entries(polls.list))
    if (now - poll.createdAt > POLL_RETENTION_MS) delete polls.list[id];
}
