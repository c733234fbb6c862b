import type { Keyspace, LockedEntries, LockOptions, TieredStore } from '@hybridstate/core';
import type { Context as GrammyContext, MiddlewareFn as GrammyMiddleware } from 'grammy';
import type { Context as TelegrafContext, MiddlewareFn as TelegrafMiddleware } from 'telegraf';
import {
  declareSessions,
  type SessionDefinition,
  type SessionProperty,
} from './session-definition.ts';
import { type SessionSource, scopeParams } from './session-scope.ts';
import { SessionSlot } from './session-slot.ts';

/** Options of {@link Sessions}. */
export interface SessionsOptions {
  /** Lease and wait of the per-key locks (see `TieredStore.lock`). */
  readonly lock?: LockOptions;
}

/** What handlers see on the context: one property per definition (lazy ones are promises). */
export type SessionFlavor<D extends Record<string, SessionDefinition<unknown>>> = {
  [K in keyof D]: D[K] extends SessionDefinition<infer V>
    ? D[K] extends { lazy: true }
      ? Promise<V | null | undefined>
      : V | null | undefined
    : never;
};

type Next = () => Promise<void>;

/**
 * Scoped sessions for grammY and Telegraf, as seed 000 uses them (`globalSession`, `lots`,
 * `polls`, `channelsSession`, `userSession`, `chatSession`, scenes), without lost updates:
 * - every update locks the keys of its eager sessions and loads them in one round trip; the
 *   same key is serialized within a process and across processes, other keys run in parallel;
 * - after the handler, only the sessions whose value changed (deep comparison) are written,
 *   once, each releasing its lock in the same Redis step; the others are just unlocked;
 * - a handler that throws writes nothing (its locks are released);
 * - assigning `null` deletes a session; an update without a key for a scope (a poll answer has
 *   no chat) gets `HS_SESSION_NO_KEY` when it touches that session.
 *
 * @example
 * ```ts
 * const sessions = new Sessions(store, keyspace, {
 *   userSession: { scope: 'user', initial: () => ({ visits: 0 }) },
 *   scene: { scope: 'user-in-chat', durability: 'ephemeral', ttlMs: 3_600_000 },
 * });
 * bot.use(sessions.grammy());
 * bot.on('message', (ctx) => { ctx.userSession.visits++; });
 * ```
 */
export class Sessions<D extends Record<string, SessionDefinition<unknown>>> {
  /** The declared session properties and their key families. */
  readonly properties: readonly SessionProperty[];
  readonly #store: TieredStore;
  readonly #lock: LockOptions;

  constructor(
    store: TieredStore,
    keyspace: Keyspace,
    definitions: D,
    options: SessionsOptions = {},
  ) {
    this.#store = store;
    this.#lock = options.lock ?? {};
    this.properties = declareSessions(keyspace, definitions);
  }

  /** Middleware for grammY (`bot.use(sessions.grammy())`). */
  grammy<C extends GrammyContext>(): GrammyMiddleware<C & SessionFlavor<D>> {
    return (ctx, next) => this.run(ctx, next);
  }

  /** Middleware for Telegraf (`bot.use(sessions.telegraf())`). */
  telegraf<C extends TelegrafContext>(): TelegrafMiddleware<C & SessionFlavor<D>> {
    return (ctx, next) => this.run(ctx, next);
  }

  /** The framework-free middleware both entries share. */
  async run(ctx: SessionSource, next: Next): Promise<void> {
    const slots = this.properties.map((p) => {
      const params = scopeParams(p.scope, ctx);
      return new SessionSlot(p, params === undefined ? undefined : p.family.key(params as never));
    });
    const eager = slots.filter((s) => !s.definition.lazy && s.ref !== undefined);
    const held =
      eager.length === 0
        ? undefined
        : await this.#store.lock(
            eager.map((s) => s.ref!),
            this.#lock,
          );
    for (const slot of eager) slot.held = held;
    const lazyLoads = new Map<SessionSlot, Promise<unknown>>();
    for (const slot of slots) this.#expose(ctx, slot, lazyLoads);
    try {
      await next();
    } catch (error) {
      // No catch-and-write: a handler that throws leaves every session as it was.
      await this.#releaseAll(held, slots, lazyLoads);
      throw error;
    }
    await this.#commitAll(held, eager, slots, lazyLoads);
  }

  #expose(ctx: object, slot: SessionSlot, lazyLoads: Map<SessionSlot, Promise<unknown>>): void {
    const property = slot.definition.property;
    if (!slot.definition.lazy) {
      Object.defineProperty(ctx, property, {
        configurable: true,
        enumerable: true,
        get: () => slot.get(),
        set: (value: unknown) => slot.set(value),
      });
      return;
    }
    const load = () => {
      let loading = lazyLoads.get(slot);
      if (loading === undefined) {
        loading = this.#lockLazy(slot);
        lazyLoads.set(slot, loading);
      }
      return loading;
    };
    Object.defineProperty(ctx, property, {
      configurable: true,
      enumerable: true,
      get: load,
      set: (value: unknown) => {
        // Assigning a lazy session: lock it, then replace its value (awaited before the commit).
        lazyLoads.set(
          slot,
          load().then(() => {
            slot.set(value);
            return value;
          }),
        );
      },
    });
  }

  async #lockLazy(slot: SessionSlot): Promise<unknown> {
    if (slot.ref === undefined) return slot.get(); // throws HS_SESSION_NO_KEY
    slot.held = await this.#store.lock([slot.ref], this.#lock);
    return slot.get();
  }

  async #commitAll(
    held: LockedEntries | undefined,
    eager: readonly SessionSlot[],
    slots: readonly SessionSlot[],
    lazyLoads: Map<SessionSlot, Promise<unknown>>,
  ): Promise<void> {
    await Promise.allSettled(lazyLoads.values());
    const lazy = slots.filter((s) => s.definition.lazy && s.held !== undefined);
    const results = await Promise.allSettled([
      held?.commit(changesOf(eager)),
      ...lazy.map((slot) => slot.held!.commit(changesOf([slot]))),
    ]);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
  }

  async #releaseAll(
    held: LockedEntries | undefined,
    slots: readonly SessionSlot[],
    lazyLoads: Map<SessionSlot, Promise<unknown>>,
  ): Promise<void> {
    await Promise.allSettled(lazyLoads.values());
    await Promise.allSettled([
      held?.release(),
      ...slots
        .filter((s) => s.definition.lazy && s.held !== undefined)
        .map((s) => s.held!.release()),
    ]);
  }
}

function changesOf(slots: readonly SessionSlot[]) {
  return slots.flatMap((slot) => {
    const change = slot.change();
    return change === undefined ? [] : [change];
  });
}
