import type { LockedChange, LockedEntries, LockOptions, TieredStore } from '@hybridstate/core';
import { TelegramError } from '../errors.ts';
import type { SessionSlot } from './session-slot.ts';

/**
 * The sessions of one update: the locks it holds (eager ones from the start, lazy ones once
 * awaited), the context properties it exposes, and the single commit or release that ends it.
 * Every lock taken is released whatever happens; nothing is reachable after the end.
 */
export class SessionUpdate {
  readonly #store: TieredStore;
  readonly #lock: LockOptions;
  readonly #slots: readonly SessionSlot[];
  readonly #eager: readonly SessionSlot[];
  #held: LockedEntries | undefined;
  /** Lazy loads (and assignments) under way (made on first use); a rejected assignment fails the commit. */
  #lazy: Map<SessionSlot, Promise<unknown>> | undefined;
  #failedAssignment: { error: unknown } | undefined;
  #ended = false;

  constructor(store: TieredStore, lock: LockOptions, slots: readonly SessionSlot[]) {
    this.#store = store;
    this.#lock = lock;
    this.#slots = slots;
    this.#eager = slots.filter((s) => !s.definition.lazy && s.ref !== undefined);
  }

  /**
   * Lock and read the eager sessions: at once when this process keeps their keys (no I/O, no
   * promise), else in one round trip (the returned promise).
   */
  begin(): Promise<void> | undefined {
    if (this.#eager.length === 0) return undefined;
    const refs = this.#eager.map((s) => s.ref!);
    const kept = this.#store.tryLockKept(refs, this.#lock);
    if (kept !== undefined) return void this.#hold(kept);
    return this.#store.lock(refs, this.#lock).then((held) => this.#hold(held));
  }

  #hold(held: LockedEntries): void {
    this.#held = held;
    for (const slot of this.#eager) slot.held = held;
  }

  /** Define `ctx.<property>` for every session, with the accessors of {@link sessionAccessors}. */
  expose(ctx: object, key: symbol, accessors: readonly PropertyDescriptor[]): void {
    (ctx as Record<symbol, unknown>)[key] = this;
    for (let i = 0; i < this.#slots.length; i++)
      Object.defineProperty(ctx, this.#slots[i]!.definition.property, accessors[i]!);
  }

  /** The value of session `index` (a promise for a lazy one). */
  read(index: number): unknown {
    const slot = this.#slots[index]!;
    return slot.definition.lazy ? this.#load(slot) : this.#open(slot).get();
  }

  /** Assign session `index`. */
  write(index: number, value: unknown): void {
    const slot = this.#slots[index]!;
    if (slot.definition.lazy) this.#assignLazy(slot, value);
    else this.#open(slot).set(value);
  }

  /** Write what changed and release every lock; release everything when it fails. */
  commit(): Promise<void> {
    if (this.#lazy !== undefined || this.#held === undefined) return this.#commitAll();
    // The common case, eager sessions only: one commit, no lists to build or settle.
    this.#ended = true;
    let changes: LockedChange[];
    try {
      changes = changesOf(this.#eager);
    } catch (error) {
      // A value that cannot be stored (NaN, a cycle...): write nothing.
      return this.release().then(() => {
        throw error;
      });
    }
    return this.#held.commit(changes);
  }

  /** {@link commit} with lazy sessions: each lock holder commits its own changes. */
  async #commitAll(): Promise<void> {
    if (this.#lazy !== undefined) await Promise.allSettled(this.#lazy.values());
    this.#ended = true;
    const lazy = this.#slots.filter((s) => s.definition.lazy && s.held !== undefined);
    let changes: { held: LockedEntries; changes: LockedChange[] }[];
    try {
      if (this.#failedAssignment !== undefined) throw this.#failedAssignment.error;
      changes = [
        ...(this.#held === undefined
          ? []
          : [{ held: this.#held, changes: changesOf(this.#eager) }]),
        ...lazy.map((slot) => ({ held: slot.held!, changes: changesOf([slot]) })),
      ];
    } catch (error) {
      // A value that cannot be stored (NaN, a cycle...) or a failed assignment: write nothing.
      await this.release();
      throw error;
    }
    if (changes.length === 1) return changes[0]!.held.commit(changes[0]!.changes);
    const results = await Promise.allSettled(changes.map(({ held, changes: c }) => held.commit(c)));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
  }

  /** Release every lock, writing nothing (the handler threw). */
  async release(): Promise<void> {
    if (this.#lazy !== undefined) await Promise.allSettled(this.#lazy.values());
    this.#ended = true;
    const holders = [
      this.#held,
      ...this.#slots.filter((s) => s.definition.lazy).map((s) => s.held),
    ];
    await Promise.allSettled(holders.map((held) => held?.release()));
  }

  #open(slot: SessionSlot): SessionSlot {
    if (this.#ended) throw this.#afterEnd(slot);
    return slot;
  }

  #load(slot: SessionSlot): Promise<unknown> {
    if (this.#ended) return Promise.reject(this.#afterEnd(slot));
    this.#lazy ??= new Map();
    let loading = this.#lazy.get(slot);
    if (loading === undefined) {
      loading = this.#lockLazy(slot);
      // Rejections reach whoever awaits the getter; an unawaited one must not go unhandled.
      loading.catch(() => undefined);
      this.#lazy.set(slot, loading);
    }
    return loading;
  }

  #assignLazy(slot: SessionSlot, value: unknown): void {
    this.#open(slot);
    const assigning = this.#load(slot).then(() => {
      slot.set(value);
      return value;
    });
    // Nobody awaits an assignment: its failure fails the commit instead (never a silent drop).
    assigning.catch((error: unknown) => {
      this.#failedAssignment ??= { error };
    });
    this.#lazy!.set(slot, assigning);
  }

  async #lockLazy(slot: SessionSlot): Promise<unknown> {
    if (slot.ref === undefined) return slot.get(); // throws HS_SESSION_NO_KEY
    slot.held =
      this.#store.tryLockKept([slot.ref], this.#lock) ??
      (await this.#store.lock([slot.ref], this.#lock));
    if (this.#ended) {
      // The update ended while this lock was being taken: give it back at once.
      await slot.held.release();
      throw this.#afterEnd(slot);
    }
    return slot.get();
  }

  #afterEnd(slot: SessionSlot): TelegramError {
    return new TelegramError(
      'HS_SESSION_INVALID',
      `ctx.${slot.definition.property} was used after its update ended (a handler that did not await its work?); the change was not saved.`,
      { property: slot.definition.property },
    );
  }
}

function changesOf(slots: readonly SessionSlot[]): LockedChange[] {
  const changes: LockedChange[] = [];
  for (const slot of slots) {
    const change = slot.change();
    if (change !== undefined) changes.push(change);
  }
  return changes;
}

/**
 * Accessors of the session properties, made once per `Sessions`: each finds the context's
 * current update under `key` (no closures per update).
 */
export function sessionAccessors(count: number, key: symbol): readonly PropertyDescriptor[] {
  const updateOf = (ctx: object) => (ctx as Record<symbol, SessionUpdate>)[key]!;
  return Array.from({ length: count }, (_, index) => ({
    configurable: true,
    enumerable: true,
    get(this: object) {
      return updateOf(this).read(index);
    },
    set(this: object, value: unknown) {
      updateOf(this).write(index, value);
    },
  }));
}
