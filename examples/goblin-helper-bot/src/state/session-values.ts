import type { CurrentMonth } from '../domain/period.ts';

/** `ctx.globalSession` (key `global`): the current month and the studios polls offer. */
export interface GlobalSession {
  current: CurrentMonth;
  studios: string[];
  /** Messages to delete later, by chat then purpose (the seed's `toRemove`). */
  toRemove: Record<string, Record<string, number[]>>;
}

/** One studio poll: where it was sent, what it offers, who chose what. */
export interface StudioPoll {
  chatId: number;
  options: string[];
  /** user id -> chosen option indexes */
  votes: Record<string, number[]>;
  createdAt: number;
}

/** `ctx.polls` (key `polls`): studio polls by Telegram poll id. */
export interface PollsSession {
  list: Record<string, StudioPoll>;
}

/** One indexed channel (`ctx.channelsSession.channels[channelId]`). */
export interface IndexedChannel {
  /** Ids of the messages marked with 🔸. */
  indexers: number[];
  studios: string[];
  locked: boolean;
  type: 'archive' | 'collection';
}

/** `ctx.channelsSession` (key `channels`): the channel indexer's state. */
export interface ChannelsSession {
  channels: Record<string, IndexedChannel>;
}

/** `ctx.userSession`: per-user UI state (money and roles live in PostgreSQL tables). */
export interface UserSession {
  catalogPage: number;
}

/** `ctx.chatSession`: per-chat state. */
export interface ChatSession {
  /** The lot a group chat last showed. */
  lastLotId?: string;
}

/** `ctx.scene`: the lot being drafted by one user in one chat. */
export interface SceneSession {
  lot?: { photos: string[] };
}

/** A channel as `reset` leaves it (the seed's indexer). */
export function emptyChannel(): IndexedChannel {
  return { indexers: [], studios: [], locked: false, type: 'archive' };
}
