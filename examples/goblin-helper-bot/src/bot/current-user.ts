import { type GoblinUser, hasRole, newUser, type Role } from '../domain/user.ts';
import { GoblinInputError } from '../errors.ts';
import type { GoblinContext, GoblinDeps } from './goblin-context.ts';

/**
 * The sender's user row; the first contact registers it (a `users` and a `userPurchases` row
 * written by the bridge after the handler). Rejected users get a reply and nothing else.
 */
export async function currentUser(ctx: GoblinContext, deps: GoblinDeps): Promise<GoblinUser> {
  const from = ctx.from;
  if (from === undefined)
    throw new GoblinInputError('GOBLIN_USAGE', 'This works only for messages from a user.');
  let user = await ctx.users.get(from.id);
  if (user === undefined) {
    user = newUser(from);
    ctx.users.set(user);
  }
  if (deps.ownerIds.includes(from.id) && !user.roles.includes('adminPlus'))
    user.roles.push('adminPlus');
  if (hasRole(user, 'rejected'))
    throw new GoblinInputError('GOBLIN_FORBIDDEN', 'Your access to this bot was rejected.');
  return user;
}

/** The sender's user row when it has one of `roles`, else a reply saying which it needs. */
export async function requireRole(
  ctx: GoblinContext,
  deps: GoblinDeps,
  ...roles: Role[]
): Promise<GoblinUser> {
  const user = await currentUser(ctx, deps);
  if (!hasRole(user, ...roles))
    throw new GoblinInputError('GOBLIN_FORBIDDEN', `Only ${roles.join(' or ')} may do this.`);
  return user;
}
