import { randomUUID } from 'node:crypto';
import type { BusListener, MessageBus } from './message-bus.ts';

/**
 * The in-process bus of local-only mode: messages reach the subscribers of this process
 * only, synchronously after `publish` resolves' microtask. It never misses a message, so it
 * never calls resync listeners.
 */
export class LocalMessageBus implements MessageBus {
  readonly instanceId = randomUUID();
  readonly connected = true;
  readonly #channels = new Map<string, Set<BusListener>>();

  /** Delivers to this process's subscribers of `channel`. */
  async publish(channel: string, payload: string): Promise<void> {
    for (const listener of [...(this.#channels.get(channel) ?? [])]) {
      listener(payload, this.instanceId);
    }
  }

  /** Adds a listener; the returned function removes it. */
  subscribe(channel: string, listener: BusListener): () => void {
    const listeners = this.#channels.get(channel) ?? new Set<BusListener>();
    this.#channels.set(channel, listeners);
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0) this.#channels.delete(channel);
    };
  }

  /** The local bus never loses messages: the listener is never called. */
  onResync(_listener: () => void): () => void {
    return () => undefined;
  }

  /** Drops every subscription. */
  async close(): Promise<void> {
    this.#channels.clear();
  }
}
