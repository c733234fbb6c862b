import { Keyspace } from '@hybridstate/core';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** How many turns of a conversation `user_memory` keeps (the seed caps its JSON array too). */
export const HISTORY_LIMIT = 20;

/** One turn of a conversation, as `user_memory:{userId}` stores it. */
export interface ChatTurn {
  readonly role: 'user' | 'assistant';
  readonly text: string;
  readonly at: Date;
}

/** A confirmed booking (`user_data:{userId}:booking`). */
export interface Booking {
  readonly phone: string;
  /** The booked time (UTC). */
  readonly at: Date;
  readonly bookedAt: Date;
}

/** Where the booking conversation stands (`booking_draft:{userId}`). */
export interface BookingDraft {
  readonly step: 'phone' | 'time';
  readonly phone?: string;
}

/** One Telegram message, in or out (`message:{chatId}:{messageId}`). */
export interface SavedMessage {
  /** Telegram user id of the sender, or `'bot'` for the assistant's replies. */
  readonly from: number | 'bot';
  readonly text: string;
  readonly at: Date;
}

/**
 * Seed 003's keys, declared once. TTLs in the seed are Redis lifetimes ("data reaches
 * PostgreSQL before its TTL runs out"), so they are `cacheTtlMs` here: PostgreSQL keeps the
 * value, Redis keeps the hot copy for the seed's time.
 *
 * - `user_memory:{userId}` buffered: the chat history changes on every message, and the
 *   seed's own design is Redis first with a background sync every 5 minutes; acknowledged
 *   after Redis, flushed to PostgreSQL in batches before the 1 h copy expires.
 * - `user_data:{userId}:phone` and `:booking` buffered: accepted while PostgreSQL is down
 *   (the journal keeps them until it is back) and while Redis is down (written straight to
 *   PostgreSQL), as the seed's fallbacks ask.
 * - `email_subscribers` durable: one shared list changed by read-modify-write, so it must
 *   stay updatable while Redis is down (`update` of a buffered key needs Redis); 24 h copy.
 * - `message:{chatId}:{messageId}` durable: every Telegram message, in and out, one key each,
 *   committed to PostgreSQL before the bot answers (the seed writes Redis and PostgreSQL in
 *   parallel); kept forever there, 1 h in Redis. So the capped history can lose its newest
 *   unflushed turns in a Redis crash, but the log never loses an acknowledged message.
 * - `booking_draft:{userId}` ephemeral, 30 min: conversation state nobody needs after a crash.
 */
export function assistantKeyspace(prefix = 'assistant') {
  const keyspace = new Keyspace({ prefix });
  const families = {
    memory: keyspace.family<'user_memory:{userId}', ChatTurn[]>({
      name: 'user_memory',
      key: 'user_memory:{userId}',
      durability: 'buffered',
      cacheTtlMs: HOUR,
    }),
    phone: keyspace.family<'user_data:{userId}:phone', string>({
      name: 'user_phone',
      key: 'user_data:{userId}:phone',
      durability: 'buffered',
      cacheTtlMs: HOUR,
    }),
    booking: keyspace.family<'user_data:{userId}:booking', Booking>({
      name: 'user_booking',
      key: 'user_data:{userId}:booking',
      durability: 'buffered',
      cacheTtlMs: HOUR,
    }),
    subscribers: keyspace.family<'email_subscribers', number[]>({
      name: 'email_subscribers',
      key: 'email_subscribers',
      durability: 'durable',
      cacheTtlMs: 24 * HOUR,
    }),
    message: keyspace.family<'message:{chatId}:{messageId}', SavedMessage>({
      name: 'message',
      key: 'message:{chatId}:{messageId}',
      durability: 'durable',
      cacheTtlMs: HOUR,
    }),
    draft: keyspace.family<'booking_draft:{userId}', BookingDraft>({
      name: 'booking_draft',
      key: 'booking_draft:{userId}',
      durability: 'ephemeral',
      ttlMs: 30 * MINUTE,
    }),
  };
  return { keyspace, families };
}

/** The families of {@link assistantKeyspace}. */
export type AssistantFamilies = ReturnType<typeof assistantKeyspace>['families'];
