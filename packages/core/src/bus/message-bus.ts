/**
 * The message-bus port: fire-and-forget messages on named channels, shared by every
 * instance of an application. Delivery is at most once (Redis pub/sub is), so a bus also
 * reports `resync`: the moments when messages may have been missed (a dropped connection
 * came back). Whoever keeps a cache fed by bus messages must flush it on `resync`.
 *
 * Implementations: `LocalMessageBus` (in-process, local-only mode) and `RedisMessageBus`
 * (Redis pub/sub on its own subscriber connection).
 *
 * @example
 * ```ts
 * const stop = bus.subscribe('hs:invalidate', (payload) => cache.forget(payload));
 * bus.onResync(() => cache.clear());
 * await bus.publish('hs:invalidate', 'user:42');
 * ```
 */
export interface MessageBus {
  /** A stable id of this bus instance, so a subscriber can skip its own messages. */
  readonly instanceId: string;
  /** Sends `payload` to every subscriber of `channel` on every instance (this one too). */
  publish(channel: string, payload: string): Promise<void>;
  /** Calls `listener` for each message on `channel`; returns the unsubscribe function. */
  subscribe(channel: string, listener: BusListener): () => void;
  /** Calls `listener` whenever messages may have been lost; returns the unsubscribe function. */
  onResync(listener: () => void): () => void;
  /** `true` while messages flow between instances (always `true` for the local bus). */
  readonly connected: boolean;
  /** Unsubscribes everything and releases the subscriber connection. */
  close(): Promise<void>;
}

/** Receives one message: its payload and the `instanceId` of the bus that published it. */
export type BusListener = (payload: string, origin: string) => void;
