import type { Context } from 'telegraf';
import type { GoblinBridgeFlavor } from '../bridge/goblin-bridge.ts';
import type { Kickstarter } from '../domain/kickstarter.ts';
import type { CurrentMonth } from '../domain/period.ts';
import type { LotBoardFlavor } from '../state/lot-board.ts';
import type { GoblinSessionFlavor } from '../state/sessions.ts';
import type { OutboxFlavor } from './outbox.ts';

/** The context every handler gets: Telegraf's, the sessions, the lots, the four bridge collections, the outbox. */
export type GoblinContext = Context &
  GoblinSessionFlavor &
  LotBoardFlavor &
  GoblinBridgeFlavor &
  OutboxFlavor;

/** What handlers need besides the context. */
export interface GoblinDeps {
  /** The current month, read without locking the global session. */
  currentMonth(ctx: GoblinContext): Promise<CurrentMonth>;
  /** A page of the kickstarter catalog. */
  catalog(offset: number, limit: number): Promise<Kickstarter[]>;
  /** Users who are made `adminPlus` on first contact (the bot's owners). */
  readonly ownerIds: readonly number[];
  /** Milliseconds since epoch (tests may pin it). */
  now(): number;
}
