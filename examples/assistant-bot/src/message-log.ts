import type { Logger, SetItem, TieredStore } from '@hybridstate/core';
import { silentLogger } from '@hybridstate/core';
import type { AssistantFamilies, SavedMessage } from './assistant-keyspace.ts';
import { isStorageUnavailable } from './storage-unavailable.ts';

/** Most messages kept in RAM while both tiers are down; the oldest go first. */
export const MESSAGE_OUTBOX_LIMIT = 10_000;

/** A message and where it lives in Telegram. */
export interface LoggedMessage extends SavedMessage {
  readonly chatId: number;
  readonly messageId: number;
}

/**
 * Seed 003's "save every Telegram message to Redis and PostgreSQL": one durable key per
 * message, committed to PostgreSQL and written through to Redis. While Redis is down it goes
 * to PostgreSQL alone. While PostgreSQL is down (durable writes are never acknowledged from
 * Redis alone) the message waits in a bounded RAM outbox and is written with the next message
 * that gets through; a process that dies during the outage loses its outbox.
 */
export class MessageLog {
  readonly #store: TieredStore;
  readonly #family: AssistantFamilies['message'];
  readonly #logger: Logger;
  #outbox: LoggedMessage[] = [];

  constructor(store: TieredStore, family: AssistantFamilies['message'], logger = silentLogger) {
    this.#store = store;
    this.#family = family;
    this.#logger = logger;
  }

  /** Save a message (and any waiting in RAM). Never fails for an outage: falls back to RAM. */
  async save(message: LoggedMessage): Promise<'store' | 'ram'> {
    const batch = [...this.#outbox, message];
    this.#outbox = [];
    try {
      await this.#store.setMany(batch.map((m) => this.#item(m)));
      return 'store';
    } catch (error) {
      if (!isStorageUnavailable(error)) throw error;
      this.#outbox = batch.slice(-MESSAGE_OUTBOX_LIMIT);
      this.#logger.warn(
        { waiting: this.#outbox.length },
        'PostgreSQL unavailable: messages kept in RAM until it is back',
      );
      return 'ram';
    }
  }

  /** Messages waiting in RAM for a tier to come back. */
  get waiting(): number {
    return this.#outbox.length;
  }

  /** The stored message, if any. */
  get(chatId: number, messageId: number): Promise<SavedMessage | undefined> {
    return this.#store.get(this.#family.key({ chatId, messageId }));
  }

  #item({ chatId, messageId, ...message }: LoggedMessage): SetItem<SavedMessage> {
    return { ref: this.#family.key({ chatId, messageId }), value: message };
  }
}
