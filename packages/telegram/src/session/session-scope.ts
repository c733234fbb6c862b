import type { Family, KeyRef } from '@hybridstate/core';

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
  const id = scopeId(scope, ctx);
  return id === undefined ? undefined : paramsOf(scope, ctx, id);
}

/** Keys remembered per session property before the memory is cleared (see {@link ScopeKeys}). */
const REMEMBERED_KEYS = 4096;

/**
 * The key of one session property for each update, remembered for recent senders and chats:
 * an active user's next update finds its key instead of rendering it again (a key reference
 * is immutable). The memory is bounded: it is cleared whole when full.
 */
export class ScopeKeys {
  readonly #scope: SessionScope;
  readonly #family: Family;
  readonly #refs = new Map<string | number, KeyRef>();

  constructor(scope: SessionScope, family: Family) {
    this.#scope = scope;
    this.#family = family;
  }

  /** This update's key, or `undefined` when it has none for the scope. */
  refOf(ctx: SessionSource): KeyRef | undefined {
    const id = scopeId(this.#scope, ctx);
    if (id === undefined) return undefined;
    let ref = this.#refs.get(id);
    if (ref === undefined) {
      ref = this.#family.key(paramsOf(this.#scope, ctx, id) as never);
      if (this.#refs.size >= REMEMBERED_KEYS) this.#refs.clear();
      this.#refs.set(id, ref);
    }
    return ref;
  }
}

/** What identifies an update's key for a scope (cheaper to find than the key), or `undefined`. */
function scopeId(scope: SessionScope, ctx: SessionSource): string | number | undefined {
  if (scope === 'global') return '';
  if (scope === 'user') return ctx.from?.id;
  if (scope === 'chat') return ctx.chat?.id;
  if (scope === 'user-in-chat') {
    const userId = ctx.from?.id;
    const chatId = ctx.chat?.id;
    return userId === undefined || chatId === undefined ? undefined : `${chatId}:${userId}`;
  }
  const key = scope(ctx);
  return key === undefined || key === '' ? undefined : key;
}

/** The key parameters of an update whose {@link scopeId} is `id` (a key function runs once). */
function paramsOf(
  scope: SessionScope,
  ctx: SessionSource,
  id: string | number,
): Record<string, string | number> {
  if (scope === 'global') return {};
  if (scope === 'user') return { userId: id };
  if (scope === 'chat') return { chatId: id };
  if (scope === 'user-in-chat') return { chatId: ctx.chat!.id, userId: ctx.from!.id };
  return { key: id };
}

/** Human words for what a scope needs, for error messages. */
export function scopeNeeds(scope: SessionScope): string {
  if (scope === 'user') return 'a sender (ctx.from)';
  if (scope === 'chat') return 'a chat (ctx.chat)';
  if (scope === 'user-in-chat') return 'a sender and a chat';
  return 'a key from its key function';
}
