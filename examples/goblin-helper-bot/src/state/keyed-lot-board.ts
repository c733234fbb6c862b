import type { KeyRef, TieredStore } from '@hybridstate/core';
import type { Context, MiddlewareFn } from 'telegraf';
import { isExpired, joinLot, type Lot } from '../domain/lot.ts';
import { HeldKeys } from './held-keys.ts';
import type { LotBoard, LotIndex } from './lot-board.ts';
import type { LotFamilies } from './lot-families.ts';
import { LotJoins } from './lot-joins.ts';

/**
 * The lots of one update, one key per lot (`lot:{lotId}`) plus the index (`lot_index`): a
 * join locks, reads, checks and writes only its lot (grouped with the other joins of that lot
 * in this process, see {@link LotJoins}). Listing reads without locking; creating and clearing
 * lock the index first, then the lots.
 */
export class KeyedLotBoard implements LotBoard {
  readonly #store: TieredStore;
  readonly #families: LotFamilies;
  readonly #joins: LotJoins;
  readonly #keys: HeldKeys;

  constructor(store: TieredStore, families: LotFamilies, joins: LotJoins) {
    this.#store = store;
    this.#families = families;
    this.#joins = joins;
    this.#keys = new HeldKeys(store);
  }

  async get(id: string): Promise<Lot | undefined> {
    const ref = this.#lot(id);
    await this.#keys.open([ref]);
    return this.#keys.get(ref);
  }

  async join(id: string, userId: string): Promise<number> {
    this.#keys.assertOpen();
    const ref = this.#lot(id);
    if (!this.#keys.has(ref)) return this.#joins.join(id, userId);
    // This update holds the lot already: join it here (a grouped join would wait for this
    // update's own lock), written with the update's other changes.
    await this.#keys.open([ref]);
    return joinLot(id, this.#keys.get(ref), userId);
  }

  async list(): Promise<[string, Lot][]> {
    const index = await this.#store.get(this.#families.index.key({}));
    if (index === undefined) return [];
    const lots = await this.#store.getMany(index.ids.map((id) => this.#lot(id)));
    return index.ids.flatMap((id, i): [string, Lot][] => {
      const lot = lots[i];
      return lot === undefined ? [] : [[id, lot]];
    });
  }

  async add(lot: Lot, now: number): Promise<string> {
    const index = await this.#index();
    await this.#prune(index, now);
    const id = String(index.nextId++);
    const ref = this.#lot(id);
    await this.#keys.open([ref]);
    this.#keys.set(ref, lot);
    index.ids.push(id);
    return id;
  }

  async clear(): Promise<void> {
    const indexRef = this.#families.index.key({});
    await this.#keys.open([indexRef]);
    const refs = (this.#keys.get(indexRef)?.ids ?? []).map((id) => this.#lot(id));
    await this.#keys.open(refs);
    for (const ref of refs) this.#keys.set(ref, undefined);
    this.#keys.set(indexRef, undefined);
  }

  /** Write the changed lots (and the index last) and release every lock. */
  commit(): Promise<void> {
    return this.#keys.commit();
  }

  /** Release every lock, writing nothing. */
  release(): Promise<void> {
    return this.#keys.release();
  }

  async #index(): Promise<LotIndex> {
    const ref = this.#families.index.key({});
    await this.#keys.open([ref]);
    const index = this.#keys.get(ref) ?? { ids: [], nextId: 1 };
    this.#keys.set(ref, index);
    return index;
  }

  /** Drop lots closed longer than the retention (and ids whose lot is gone) from the index. */
  async #prune(index: LotIndex, now: number): Promise<void> {
    // Read unlocked: a closed lot never changes again (joining or closing it is refused).
    const listed = new Map(await this.list());
    const expired = index.ids.filter((id) => {
      const lot = listed.get(id);
      return lot !== undefined && isExpired(lot, now);
    });
    const refs = expired.map((id) => this.#lot(id));
    await this.#keys.open(refs);
    for (const ref of refs) this.#keys.set(ref, undefined);
    index.ids = index.ids.filter((id) => listed.has(id) && !expired.includes(id));
  }

  #lot(id: string): KeyRef<Lot> {
    return this.#families.lot.key({ lotId: id });
  }
}

/**
 * Telegraf middleware giving every update its `ctx.lots` on per-lot keys: the changed lots
 * are written after the handler (and after the bridge's rows), nothing when it throws.
 */
export function keyedLots(store: TieredStore, families: LotFamilies): MiddlewareFn<Context> {
  const joins = new LotJoins(store, families);
  return async (ctx, next) => {
    const board = new KeyedLotBoard(store, families, joins);
    Object.assign(ctx, { lots: board });
    try {
      await next();
    } catch (error) {
      // No catch-and-write: a handler that throws leaves every lot as it was.
      await board.release();
      throw error;
    }
    await board.commit();
  };
}
