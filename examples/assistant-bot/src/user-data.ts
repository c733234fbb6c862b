import type { TieredStore } from '@hybridstate/core';
import type { AssistantFamilies, Booking } from './assistant-keyspace.ts';
import { isStorageUnavailable } from './storage-unavailable.ts';

/**
 * `user_data:{userId}:phone` and `user_data:{userId}:booking`. A booking is confirmed only once
 * Redis or PostgreSQL holds it; it never falls back to RAM, where a restart would lose a booking
 * the user was told about.
 */
export class UserData {
  readonly #store: TieredStore;
  readonly #families: Pick<AssistantFamilies, 'phone' | 'booking'>;

  constructor(store: TieredStore, families: Pick<AssistantFamilies, 'phone' | 'booking'>) {
    this.#store = store;
    this.#families = families;
  }

  /** The saved phone number; `undefined` when none is saved or no tier answers. */
  async phone(userId: number): Promise<string | undefined> {
    try {
      return await this.#store.get(this.#families.phone.key({ userId }));
    } catch (error) {
      if (isStorageUnavailable(error)) return undefined;
      throw error;
    }
  }

  /** The user's booking, if any. Throws `HS_TIER_UNAVAILABLE` when no tier answers. */
  booking(userId: number): Promise<Booking | undefined> {
    return this.#store.get(this.#families.booking.key({ userId }));
  }

  /**
   * Save the phone and the booking together (both validated before either is written).
   * Throws `HS_TIER_UNAVAILABLE` when neither Redis nor PostgreSQL takes them: nothing is kept.
   */
  async book(userId: number, booking: Booking): Promise<void> {
    await this.#store.setMany([
      { ref: this.#families.phone.key({ userId }), value: booking.phone },
      { ref: this.#families.booking.key({ userId }), value: booking },
    ]);
  }
}
