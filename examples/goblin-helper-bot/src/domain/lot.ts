import { GoblinInputError } from '../errors.ts';

/** Currencies a lot may be priced in (the seed's invariant). */
export const CURRENCIES = ['USD', 'EUR', 'RUB'] as const;

/** `USD`, `EUR` or `RUB`. */
export type Currency = (typeof CURRENCIES)[number];

/** Photos a lot must have: at least one, at most ten (one Telegram media group). */
export const LOT_PHOTOS = { min: 1, max: 10 } as const;

/** A lot (`ctx.lots.list[lotId]`), as the seed stores it. */
export interface Lot {
  photo: string;
  photos: string[];
  price: number;
  currency: Currency;
  link: string;
  author: string;
  name: string;
  whoCreated: { id: number; username: string; first_name: string; last_name: string };
  /** User ids, as strings. */
  participants: string[];
  chatID: string;
  opened: boolean;
  /** When it was closed (ms since epoch); closed lots are pruned a while later. */
  closedAt?: number;
}

/**
 * The seed's `lots` session: every lot by id, and the next id to hand out (what its Redis key
 * holds; here each lot has its own key, see `state/lot-families.ts`).
 */
export interface LotsSession {
  list: Record<string, Lot>;
  nextId: number;
}

/** What the user typed for a new lot, before checking. */
export interface LotDraft {
  photos: string[];
  price: string;
  currency: string;
  link: string;
  author: string;
  name: string;
}

/** The problems of a lot; empty when it keeps every invariant. */
export function lotProblems(lot: {
  photos: readonly unknown[];
  price: unknown;
  currency: unknown;
  link: unknown;
}): string[] {
  const problems: string[] = [];
  const { min, max } = LOT_PHOTOS;
  if (lot.photos.length < min || lot.photos.length > max)
    problems.push(`a lot needs ${min} to ${max} photos, this one has ${lot.photos.length}`);
  if (typeof lot.price !== 'number' || !Number.isFinite(lot.price) || lot.price < 0)
    problems.push(`the price must be a number >= 0, got ${String(lot.price)}`);
  if (!(CURRENCIES as readonly unknown[]).includes(lot.currency))
    problems.push(
      `the currency must be one of ${CURRENCIES.join(', ')}, got ${String(lot.currency)}`,
    );
  if (typeof lot.link !== 'string' || !/^https?:\/\/\S+$/.test(lot.link))
    problems.push(`the link must be an http(s) URL, got ${String(lot.link)}`);
  return problems;
}

/** Check a draft and give the price as a number, or a reply listing every problem. */
export function checkDraft(draft: LotDraft): { price: number; currency: Currency } {
  const price = draft.price.trim() === '' ? Number.NaN : Number(draft.price.replace(',', '.'));
  const problems = lotProblems({ ...draft, price, currency: draft.currency.toUpperCase() });
  if (problems.length > 0)
    throw new GoblinInputError(
      'GOBLIN_LOT_INVALID',
      `The lot was not created: ${problems.join('; ')}.`,
    );
  return { price, currency: draft.currency.toUpperCase() as Currency };
}

/**
 * Add a user to a lot (in place) and give the number of participants; a missing or closed lot,
 * or a user already in it, is a `GoblinInputError` and changes nothing.
 */
export function joinLot(id: string, lot: Lot | undefined, userId: string): number {
  if (lot === undefined) throw new GoblinInputError('GOBLIN_NOT_FOUND', `There is no lot #${id}.`);
  if (!lot.opened) throw new GoblinInputError('GOBLIN_LOT_CLOSED', `Lot #${id} is closed.`);
  if (lot.participants.includes(userId))
    throw new GoblinInputError('GOBLIN_LOT_JOINED', `You are already in lot #${id}.`);
  lot.participants.push(userId);
  return lot.participants.length;
}

/** How long closed lots are kept before a write prunes them (seed defect 4: no cleanup). */
export const CLOSED_LOT_RETENTION_MS = 30 * 24 * 3_600_000;

/** True for a lot closed longer than the retention ago (the next new lot prunes it). */
export function isExpired(lot: Lot, now: number): boolean {
  return !lot.opened && lot.closedAt !== undefined && now - lot.closedAt > CLOSED_LOT_RETENTION_MS;
}
