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
  /** Lazy loads (and assignments) under way; a rejected assignment fails the commit. */
  readonly #lazy = new Map<SessionSlot, Promise<unknown>>();
  readonly #failedAssignments: unknown[] = [];
  #ended = false;

  constructor(store: TieredStore, lock: LockOptions, slots: readonly SessionSlot[]) {
    this.#store = store;
    this.#lock = lock;
    this.#slots = slots;
    this.#eager = slots.filter((s) => !s.definition.lazy && s.ref !== undefined);
  }

  /** Lock and read the eager sessions, in one round trip. */
  async begin(): Promise<void> {
    if (this.#eager.length === 0) return;
    this.#held = await this.#store.lock(
      this.#eager.map((s) => s.ref!),
      this.#lock,
    );
    for (const slot of this.#eager) slot.held = this.#held;
  }

  /** Define `ctx.<property>` for every session. */
  expose(ctx: object): void {
    for (const slot of this.#slots) {
      const property = slot.definition.property;
      Object.defineProperty(
        ctx,
        property,
        slot.definition.lazy
          ? {
              configurable: true,
              enumerable: true,
              get: () => this.#load(slot),
              set: (value: unknown) => this.#assignLazy(slot, value),
            }
          : {
              configurable: true,
              enumerable: true,
              get: () => this.#open(slot).get(),
              set: (value: unknown) => this.#open(slot).set(value),
            },
      );
    }
  }

  /** Write what changed and release every lock; release everything when it fails. */
  async commit(): Promise<void> {
    if (this.#lazy.size > 0) await Promise.allSettled(this.#lazy.values());
    this.#ended = true;
    const lazy = this.#slots.filter((s) => s.definition.lazy && s.held !== undefined);
    let changes: { held: LockedEntries; changes: LockedChange[] }[];
    try {
      if (this.#failedAssignments.length > 0) throw this.#failedAssignments[0];
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
    // The common case, eager sessions only: one commit, no settling of a list.
    if (changes.length === 1) return changes[0]!.held.commit(changes[0]!.changes);
    const results = await Promise.allSettled(changes.map(({ held, changes: c }) => held.commit(c)));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
  }

  /** Release every lock, writing nothing (the handler threw). */
  async release(): Promise<void> {
    if (this.#lazy.size > 0) await Promise.allSettled(this.#lazy.values());
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
    assigning.catch((error: unknown) => this.#failedAssignments.push(error));
    this.#lazy.set(slot, assigning);
  }

  async #lockLazy(slot: SessionSlot): Promise<unknown> {
    if (slot.ref === undefined) return slot.get(); // throws HS_SESSION_NO_KEY
    slot.held = await this.#store.lock([slot.ref], this.#lock);
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
  return slots.flatMap((slot) => {
    const change = slot.change();
    return change === undefined ? [] : [change];
  });
}
