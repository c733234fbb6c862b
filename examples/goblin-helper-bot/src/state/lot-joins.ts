import type { LockedEntries, TieredStore } from '@hybridstate/core';
import { joinLot } from '../domain/lot.ts';
import type { LotFamilies } from './lot-families.ts';

/** One waiting join: who, and how to answer. */
interface PendingJoin {
  readonly userId: string;
  readonly resolve: (participants: number) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Joins of the lots, grouped per lot in this process. A lot that many users join at once is
 * one hot key: taking its lock and writing it once per join would serialize two Redis round
 * trips per join. Here the joins that arrive while a lot is being written wait together, and
 * the next round applies all of them under one lock and writes the lot once: each joiner
 * still gets its own answer (its number of participants, or why it was refused), and every
 * write is under the lot's lock, so other processes and `/lotclose` are serialized as before.
 */
export class LotJoins {
  readonly #store: TieredStore;
  readonly #families: LotFamilies;
  readonly #waiting = new Map<string, PendingJoin[]>();
  readonly #writing = new Set<string>();

  constructor(store: TieredStore, families: LotFamilies) {
    this.#store = store;
    this.#families = families;
  }

  /** Join a lot; resolves once the lot is written with the user in it. */
  join(lotId: string, userId: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const waiting = this.#waiting.get(lotId) ?? [];
      waiting.push({ userId, resolve, reject });
      this.#waiting.set(lotId, waiting);
      if (!this.#writing.has(lotId)) void this.#drain(lotId);
    });
  }

  async #drain(lotId: string): Promise<void> {
    this.#writing.add(lotId);
    try {
      for (let round = this.#take(lotId); round.length > 0; round = this.#take(lotId))
        await this.#apply(lotId, round);
    } finally {
      this.#writing.delete(lotId);
    }
  }

  #take(lotId: string): PendingJoin[] {
    const round = this.#waiting.get(lotId) ?? [];
    this.#waiting.delete(lotId);
    return round;
  }

  /** One lock, every join of the round applied in arrival order, one write. */
  async #apply(lotId: string, round: readonly PendingJoin[]): Promise<void> {
    const ref = this.#families.lot.key({ lotId });
    let held: LockedEntries | undefined;
    let answers: Answer[];
    try {
      held = await this.#store.lock([ref]);
      const lot = held.get(ref);
      answers = round.map((join) => answer(() => joinLot(lotId, lot, join.userId)));
      if (answers.some((a) => 'participants' in a)) await held.commit([{ ref, value: lot }]);
      else await held.release();
    } catch (error) {
      // The lock, the read or the write failed: nobody of this round was saved.
      await held?.release().catch(() => undefined);
      for (const join of round) join.reject(error);
      return;
    }
    for (const [i, join] of round.entries()) settle(join, answers[i]!);
  }
}

type Answer = { readonly participants: number } | { readonly error: unknown };

function answer(join: () => number): Answer {
  try {
    return { participants: join() };
  } catch (error) {
    return { error };
  }
}

function settle(join: PendingJoin, answer: Answer): void {
  if ('participants' in answer) join.resolve(answer.participants);
  else join.reject(answer.error);
}
