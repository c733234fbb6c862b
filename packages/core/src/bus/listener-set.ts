import type { Logger } from '../logger.ts';
import type { BusListener } from './message-bus.ts';

/**
 * The listeners of each channel of one bus. Delivery calls every listener even when one
 * throws: a faulty subscriber must not starve the others (nor fail the publisher), so its
 * error is logged instead.
 */
export class ListenerSet {
  readonly #channels = new Map<string, Set<BusListener>>();
  readonly #logger: Logger;

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  /** Adds a listener; returns `true` when it is the channel's first one. */
  add(channel: string, listener: BusListener): boolean {
    const listeners = this.#channels.get(channel) ?? new Set<BusListener>();
    this.#channels.set(channel, listeners);
    listeners.add(listener);
    return listeners.size === 1;
  }

  /** Removes a listener; returns `true` when the channel has none left. */
  remove(channel: string, listener: BusListener): boolean {
    const listeners = this.#channels.get(channel);
    if (listeners === undefined || !listeners.delete(listener)) return false;
    if (listeners.size > 0) return false;
    this.#channels.delete(channel);
    return true;
  }

  /** Channels that have at least one listener. */
  channels(): string[] {
    return [...this.#channels.keys()];
  }

  /** Calls every listener of `channel` (a snapshot: listeners may unsubscribe meanwhile). */
  deliver(channel: string, payload: string, origin: string): void {
    const listeners = this.#channels.get(channel);
    if (listeners === undefined) return;
    for (const listener of [...listeners]) {
      try {
        listener(payload, origin);
      } catch (error) {
        this.#logger.error(
          { err: error, channel },
          'a message-bus listener threw; others still ran',
        );
      }
    }
  }

  /** Forgets every listener. */
  clear(): void {
    this.#channels.clear();
  }
}
