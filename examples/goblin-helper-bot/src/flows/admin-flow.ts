import type { Telegraf } from 'telegraf';
import { commandArgs, userId } from '../bot/command-args.ts';
import { requireRole } from '../bot/current-user.ts';
import type { GoblinContext, GoblinDeps } from '../bot/goblin-context.ts';
import { reply } from '../bot/outbox.ts';
import { ROLES, type Role } from '../domain/user.ts';
import { GoblinInputError } from '../errors.ts';

const USAGE = `Usage: /role <userId> <${ROLES.join('|')}> or /unrole <userId> <role>`;

/** Roles: only `adminPlus` grants and takes `admin`, `adminPlus` and `rejected`. */
export function adminFlow(bot: Telegraf<GoblinContext>, deps: GoblinDeps): void {
  for (const command of ['role', 'unrole'] as const) {
    bot.command(command, async (ctx) => {
      const me = await requireRole(ctx, deps, 'adminPlus');
      const [who, roleText] = commandArgs(ctx);
      const id = userId(who, USAGE);
      if (!(ROLES as readonly string[]).includes(roleText ?? ''))
        throw new GoblinInputError('GOBLIN_USAGE', USAGE);
      const role = roleText as Role;
      const target = id === me.id ? me : await ctx.users.get(id);
      if (target === undefined)
        throw new GoblinInputError('GOBLIN_NOT_FOUND', `User ${id} has not talked to the bot yet.`);
      if (command === 'role' && !target.roles.includes(role)) target.roles.push(role);
      if (command === 'unrole') target.roles = target.roles.filter((r) => r !== role);
      reply(ctx, `User ${id}: roles ${target.roles.join(', ') || 'none'}.`);
    });
  }
}
