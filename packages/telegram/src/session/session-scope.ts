/** The parts of a bot context (grammY or Telegraf) that session keys come from. */
export interface SessionSource {
  readonly from?: { readonly id: number } | undefined;
  readonly chat?: { readonly id: number } | undefined;
}

/**
 * Which session an update gets:
 * - `global`: one for the whole bot (a fixed key);
 * - `user`: per `ctx.from`; `chat`: per `ctx.chat`; `user-in-chat`: per both (scenes);
 * - a function: a custom key, `undefined` when the update has none.
 */
export type SessionScope =
  | 'global'
  | 'user'
  | 'chat'
  | 'user-in-chat'
  | ((ctx: SessionSource) => string | number | undefined);

/** The key template suffix of a scope (after `session:<name>`). */
export function scopeTemplate(scope: SessionScope): string {
  if (scope === 'global') return '';
  if (scope === 'user') return ':{userId}';
  if (scope === 'chat') return ':{chatId}';
  if (scope === 'user-in-chat') return ':{chatId}:{userId}';
  return ':{key}';
}

/** The key parameters of this update for a scope, or `undefined` when it has none. */
export function scopeParams(
  scope: SessionScope,
  ctx: SessionSource,
): Record<string, string | number> | undefined {
  if (scope === 'global') return {};
  const userId = ctx.from?.id;
  const chatId = ctx.chat?.id;
  if (scope === 'user') return userId === undefined ? undefined : { userId };
  if (scope === 'chat') return chatId === undefined ? undefined : { chatId };
  if (scope === 'user-in-chat')
    return userId === undefined || chatId === undefined ? undefined : { chatId, userId };
  const key = scope(ctx);
  return key === undefined || key === '' ? undefined : { key };
}

/** Human words for what a scope needs, for error messages. */
export function scopeNeeds(scope: SessionScope): string {
  if (scope === 'user') return 'a sender (ctx.from)';
  if (scope === 'chat') return 'a chat (ctx.chat)';
  if (scope === 'user-in-chat') return 'a sender and a chat';
  return 'a key from its key function';
}
