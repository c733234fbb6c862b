import type { Keyspace, LockOptions, TieredStore } from '@hybridstate/core';
import type { Context as GrammyContext, MiddlewareFn as GrammyMiddleware } from 'grammy';
import type { Context as TelegrafContext, MiddlewareFn as TelegrafMiddleware } from 'telegraf';
import {
  declareSessions,
  type SessionDefinition,
  type SessionProperty,
} from './session-definition.ts';
import { ScopeKeys, type SessionSource } from './session-scope.ts';
import { SessionSlot } from './session-slot.ts';
import { SessionUpdate, sessionAccessors } from './session-update.ts';

/** Options of {@link Sessions}. */
export interface SessionsOptions {
  /**
   * Lease, wait and keep of the per-key locks (see `TieredStore.lock`). Sessions keep a key's
   * lease while it is active (`keepMs`, default {@link SESSIONS_DEFAULTS}): the next update of
   * the key in this process reads nothing from Redis. `keepMs: 0` releases after every update.
   */
  readonly lock?: LockOptions;
}

/** Defaults of {@link SessionsOptions}. */
export const SESSIONS_DEFAULTS = { lock: { keepMs: 2000 } } as const;

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
 *   a process keeps the lease of an active key with its copy (`lock.keepMs`), so the next
 *   update of that key reads nothing and writes in one fenced step that renews the lease;
 * - after the handler, only the sessions whose value changed (deep comparison) are written,
 *   once, each releasing (or keeping) its lock in the same Redis step;
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
  /** Where a context keeps its update of these sessions, and the properties' accessors. */
  readonly #key = Symbol('sessions');
  readonly #accessors: readonly PropertyDescriptor[];
  /** Each property's keys of recent updates. */
  readonly #keys: readonly ScopeKeys[];

  constructor(
    store: TieredStore,
    keyspace: Keyspace,
    definitions: D,
    options: SessionsOptions = {},
  ) {
    this.#store = store;
    this.#lock = { ...SESSIONS_DEFAULTS.lock, ...options.lock };
    this.properties = declareSessions(keyspace, definitions);
    this.#accessors = sessionAccessors(this.properties.length, this.#key);
    this.#keys = this.properties.map((p) => new ScopeKeys(p.scope, p.family));
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
  run(ctx: SessionSource, next: Next): Promise<void> {
    // Plain callbacks, not an async function: this runs once per update.
    let update: SessionUpdate;
    let begun: Promise<void> | undefined;
    try {
      const slots = this.properties.map((p, i) => new SessionSlot(p, this.#keys[i]!.refOf(ctx)));
      update = new SessionUpdate(this.#store, this.#lock, slots);
      begun = update.begin();
    } catch (error) {
      return Promise.reject(error);
    }
    if (begun === undefined) return this.#handle(ctx, next, update);
    return begun.then(() => this.#handle(ctx, next, update));
  }

  /** Run the handlers, then commit; a handler that throws leaves every session as it was. */
  #handle(ctx: SessionSource, next: Next, update: SessionUpdate): Promise<void> {
    let handled: Promise<void>;
    try {
      // Inside the try: a context that refuses the properties must not keep the locks.
      update.expose(ctx, this.#key, this.#accessors);
      handled = Promise.resolve(next());
    } catch (error) {
      return releaseAndThrow(update, error);
    }
    return handled.then(
      () => update.commit(),
      (error: unknown) => releaseAndThrow(update, error),
    );
  }
}

/** No catch-and-write: release every lock, writing nothing, and rethrow the handler's error. */
function releaseAndThrow(update: SessionUpdate, error: unknown): Promise<never> {
  return update.release().then(() => {
    throw error;
  });
}
