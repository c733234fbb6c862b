import { randomUUID } from 'node:crypto';
import { type Logger, silentLogger } from '../logger.ts';
import { ListenerSet } from './listener-set.ts';
import type { BusListener, MessageBus } from './message-bus.ts';

/** Options of {@link LocalMessageBus}. */
export interface LocalMessageBusOptions {
  /** Where errors thrown by listeners are reported. @default silentLogger */
  readonly logger?: Logger;
}

/**
 * The in-process bus of local-only mode: messages reach the subscribers of this process
 * only, synchronously inside `publish`. It never misses a message, so it never calls resync
 * listeners. A listener that throws is logged; the others still run.
 */
export class LocalMessageBus implements MessageBus {
  readonly instanceId = randomUUID();
  readonly connected = true;
  readonly #listeners: ListenerSet;

  constructor(options: LocalMessageBusOptions = {}) {
    this.#listeners = new ListenerSet(options.logger ?? silentLogger);
  }

  /** Delivers to this process's subscribers of `channel`. */
  async publish(channel: string, payload: string): Promise<void> {
    this.#listeners.deliver(channel, payload, this.instanceId);
  }

  /** Adds a listener; the returned function removes it. */
  subscribe(channel: string, listener: BusListener): () => void {
    this.#listeners.add(channel, listener);
    return () => {
      this.#listeners.remove(channel, listener);
    };
  }

  /** The local bus never loses messages: the listener is never called. */
  onResync(_listener: () => void): () => void {
    return () => undefined;
  }

  /** Drops every subscription. */
  async close(): Promise<void> {
    this.#listeners.clear();
  }
}
