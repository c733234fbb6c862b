import type { Lot } from '../domain/lot.ts';

/** The index of the lots (key `lot_index`): their ids in creation order, and the next id. */
export interface LotIndex {
  ids: string[];
  nextId: number;
}

/**
 * The lots as a handler sees them during one update (`ctx.lots`). A lot it gets is its own to
 * change until the update ends: the changes are saved after the handler, or dropped when it
 * throws, like a session's. `state/keyed-lot-board.ts` keeps one key per lot.
 *
 * @example
 * ```ts
 * const lot = await ctx.lots.get('3');
 * if (lot !== undefined && !lot.participants.includes(me)) lot.participants.push(me);
 * ```
 */
export interface LotBoard {
  /** The lot with this id (locked for this update), or `undefined`. */
  get(id: string): Promise<Lot | undefined>;
  /**
   * Add a user to a lot and give the number of participants; a missing or closed lot, or a
   * user already in it, throws a `GoblinInputError` and writes nothing. The join is saved when
   * this resolves (before the handler ends), unless this update already holds the lot.
   */
  join(id: string, userId: string): Promise<number>;
  /** Every lot as `[id, lot]`, in creation order; read without locking, for listing. */
  list(): Promise<[string, Lot][]>;
  /** Open a new lot and give its id; lots closed longer than the retention go first. */
  add(lot: Lot, now: number): Promise<string>;
  /** Delete every lot and the id counter (`/nl`). */
  clear(): Promise<void>;
}

/** What the lots add to the context. */
export interface LotBoardFlavor {
  readonly lots: LotBoard;
}
