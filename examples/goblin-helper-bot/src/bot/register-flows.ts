import type { Telegraf } from 'telegraf';
import { accountFlow } from '../flows/account-flow.ts';
import { adminFlow } from '../flows/admin-flow.ts';
import { channelsFlow } from '../flows/channels-flow.ts';
import { groupsFlow } from '../flows/groups-flow.ts';
import { kickstartersFlow } from '../flows/kickstarters-flow.ts';
import { lotDraftFlow } from '../flows/lot-draft-flow.ts';
import { lotsFlow } from '../flows/lots-flow.ts';
import { pollsFlow } from '../flows/polls-flow.ts';
import type { GoblinContext, GoblinDeps } from './goblin-context.ts';

/** Every flow of the bot, on a bot whose context already has the sessions and the bridge. */
export function registerFlows(bot: Telegraf<GoblinContext>, deps: GoblinDeps): void {
  accountFlow(bot, deps);
  groupsFlow(bot, deps);
  kickstartersFlow(bot, deps);
  lotDraftFlow(bot, deps);
  lotsFlow(bot, deps);
  pollsFlow(bot, deps);
  adminFlow(bot, deps);
  channelsFlow(bot);
}
