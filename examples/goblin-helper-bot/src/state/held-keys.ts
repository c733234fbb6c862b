import {
  encodeValue,
  type KeyRef,
  type LockedChange,
  type LockedEntries,
  type TieredStore,
} from '@hybridstate/core';
import { GoblinStateError } from '../errors.ts';

/** One held key: its value as read under the lock, and what the update made of it. */
interface Held {
  readonly ref: KeyRef;
  readonly holder: LockedEntries;
  readonly existed: boolean;
  /** The canonical encoding of what was read: an equal encoding at the end means unchanged. */
  readonly baseline: string | null;
  value: unknown;
}

/**
 * Keys locked for one update, the way a session locks its key: each is locked and read on
 * first use (concurrent first uses share one lock), changed in place or replaced, and at the
 * end every changed value is written as its lock is released (`commit`), or nothing is written
 * (`release`). Keys locked later are committed first, so a key locked first (an index) is
 * written last and never names a value that was not written.
 */
export class HeldKeys {
  readonly #store: TieredStore;
  readonly #held = new Map<string, Held>();
  readonly #locking = new Map<string, Promise<void>>();
  readonly #holders: LockedEntries[] = [];
  #ended = false;

  constructor(store: TieredStore) {
    this.#store = store;
  }

  /** True once `open` was called for the key (it is held, or being locked). */
  has(ref: KeyRef): boolean {
    return this.#locking.has(ref.redisKey);
  }

  /** Throw when the update has ended: nothing may be read or written for it any more. */
  assertOpen(): void {
    if (this.#ended) throw afterEnd();
  }

  /** Lock and read the keys not held yet, in one lock call. */
  async open(refs: readonly KeyRef[]): Promise<void> {
    this.assertOpen();
    const fresh = [...new Map(refs.map((r) => [r.redisKey, r])).values()].filter(
      (r) => !this.#locking.has(r.redisKey),
    );
    if (fresh.length > 0) {
      const locking = this.#lock(fresh);
      for (const ref of fresh) this.#locking.set(ref.redisKey, locking);
    }
    await Promise.all(refs.map((r) => this.#locking.get(r.redisKey)));
  }

  /** The value of a held key; `undefined` when it is absent (or deleted by this update). */
  get<V>(ref: KeyRef<V>): V | undefined {
    return this.#slot(ref).value as V | undefined;
  }

  /** Replace the value of a held key; `undefined` deletes it. */
  set<V>(ref: KeyRef<V>, value: V | undefined): void {
    this.#slot(ref).value = value;
  }

  /** Write what changed and release every lock; on a failure the rest is released unwritten. */
  async commit(): Promise<void> {
    await this.#end();
    const holders = [...this.#holders].reverse();
    try {
      while (holders.length > 0) {
        const holder = holders.shift()!;
        await holder.commit(this.#changesOf(holder));
      }
    } finally {
      await Promise.allSettled(holders.map((h) => h.release()));
    }
  }

  /** Release every lock, writing nothing (the handler threw). */
  async release(): Promise<void> {
    await this.#end();
    await Promise.allSettled(this.#holders.map((h) => h.release()));
  }

  async #lock(refs: readonly KeyRef[]): Promise<void> {
    const holder = await this.#store.lock(refs);
    if (this.#ended) {
      // The update ended while this lock was being taken: give it back at once.
      await holder.release();
      throw afterEnd();
    }
    this.#holders.push(holder);
    for (const ref of refs) {
      const value = holder.get(ref);
      const baseline = value === undefined ? null : encodeValue(value);
      this.#held.set(ref.redisKey, { ref, holder, existed: value !== undefined, baseline, value });
    }
  }

  async #end(): Promise<void> {
    this.#ended = true;
    await Promise.allSettled(this.#locking.values());
  }

  #changesOf(holder: LockedEntries): LockedChange[] {
    return [...this.#held.values()].flatMap((held): LockedChange[] => {
      if (held.holder !== holder) return [];
      if (held.value === undefined) return held.existed ? [{ ref: held.ref, delete: true }] : [];
      const encoded = encodeValue(held.value);
      return encoded === held.baseline ? [] : [{ ref: held.ref, value: held.value, encoded }];
    });
  }

  #slot(ref: KeyRef): Held {
    this.assertOpen();
    const held = this.#held.get(ref.redisKey);
    if (held === undefined)
      throw new GoblinStateError(`"${ref.key}" is not held: open() it and await that first.`);
    return held;
  }
}

function afterEnd(): GoblinStateError {
  return new GoblinStateError(
    'A lot was used after its update ended (a handler that did not await its work?); the change was not saved.',
  );
}
