import { randomUUID } from 'node:crypto';
import { LocalCache } from '../cache/local-cache.ts';
import { SyncError } from '../errors.ts';
import type { EventCatalog, EventMap } from '../events/event-catalog.ts';
import { assertEventPattern, isEventName } from '../events/event-pattern.ts';
import type { SyncEvent } from '../events/sync-event.ts';
import type { SyncEventMap } from '../events/sync-events.ts';
import { type EventHandler, HandlerRegistry } from './handler-registry.ts';
import {
  type ResolvedSyncServiceOptions,
  resolveSyncServiceOptions,
  type SyncServiceOptions,
} from './sync-service-options.ts';

/** The events of catalog `M` whose name matches pattern `P`. */
export type EventsMatching<M extends EventMap, P extends string> = {
  [K in keyof M & string]: P extends '*'
    ? SyncEvent<K, M[K]>
    : P extends `${infer D}.*`
      ? K extends `${D}.${string}`
        ? SyncEvent<K, M[K]>
        : never
      : K extends P
        ? SyncEvent<K, M[K]>
        : never;
}[keyof M & string];

/**
 * Seed 002's SyncService: publish typed events, react to them by name, `domain.*` or `*` in
 * every instance, and keep a local TTL cache that every instance invalidates together.
 *
 * Delivery is at most once (the bus is Redis pub/sub): treat events as hints to refetch, and
 * subscribe to `onResync` to refetch everything after the bus lost its connection.
 *
 * @example
 * ```ts
 * const sync = new SyncService({ bus: new RedisMessageBus(redis) });
 * sync.on('buttons.*', () => sync.invalidateCache('buttons'));
 * await sync.publish('buttons.updated', { id: 7 });
 * ```
 */
export class SyncService<M extends EventMap = SyncEventMap> {
  readonly options: ResolvedSyncServiceOptions<M>;
  readonly #handlers: HandlerRegistry;
  readonly #cache: LocalCache;
  readonly #stopListening: () => void;
  #closed = false;

  constructor(options: SyncServiceOptions<M> = {}) {
    this.options = resolveSyncServiceOptions(options);
    this.#handlers = new HandlerRegistry(this.options.logger);
    this.#cache = new LocalCache(this.options.bus, this.options.logger, this.options.cache);
    this.#stopListening = this.options.bus.subscribe(this.options.channel, (payload, origin) =>
      this.#receive(payload, origin),
    );
  }

  /** The catalog events are checked against. */
  get catalog(): EventCatalog<M> {
    return this.options.catalog;
  }

  /** `true` while events reach other instances (always for local-only mode). */
  get connected(): boolean {
    return this.options.bus.connected;
  }

  /**
   * Validate and publish an event to every instance (this one included, synchronously).
   * Rejects with `HS_SYNC_UNKNOWN_EVENT`, `HS_SYNC_INVALID_PAYLOAD` or
   * `HS_SYNC_EVENT_TOO_LARGE` before anything is sent. While Redis is down it still reaches
   * this process's handlers.
   */
  async publish<K extends keyof M & string>(type: K, data: M[K]): Promise<SyncEvent<K, M[K]>> {
    this.#assertOpen();
    const valid = (await this.catalog.validate(type, data)) as M[K];
    const event: SyncEvent<K, M[K]> = { type, data: valid, id: randomUUID(), ts: Date.now() };
    const payload = JSON.stringify(event);
    // Cheap first: UTF-8 takes at most 3 bytes per UTF-16 unit.
    const bytes = payload.length * 3 > this.options.maxEventBytes ? Buffer.byteLength(payload) : 0;
    if (bytes > this.options.maxEventBytes)
      throw new SyncError(
        'HS_SYNC_EVENT_TOO_LARGE',
        `Event "${type}" encodes to ${bytes} bytes, over maxEventBytes (${this.options.maxEventBytes}). Send ids, not documents: readers refetch.`,
        { event: type, bytes },
      );
    await this.options.bus.publish(this.options.channel, payload);
    return event;
  }

  /** Call `handler` for every event matching `pattern`; returns the unsubscribe function. */
  on<P extends string>(pattern: P, handler: EventHandler<EventsMatching<M, P>>): () => void {
    assertEventPattern(pattern);
    this.#handlers.add(pattern, handler as EventHandler, false);
    return () => this.off(pattern, handler);
  }

  /** Like {@link on}, for the next matching event only. */
  once<P extends string>(pattern: P, handler: EventHandler<EventsMatching<M, P>>): () => void {
    assertEventPattern(pattern);
    this.#handlers.add(pattern, handler as EventHandler, true);
    return () => this.off(pattern, handler);
  }

  /** Remove `handler` from `pattern`. */
  off<P extends string>(pattern: P, handler: EventHandler<EventsMatching<M, P>>): void {
    this.#handlers.remove(pattern, handler as EventHandler);
  }

  /** Call `listener` whenever events may have been missed (the bus reconnected). */
  onResync(listener: () => void): () => void {
    return this.options.bus.onResync(listener);
  }

  /** Keep `value` in this process for `ttlMs` (default 60 s). */
  setCache(key: string, value: unknown, ttlMs?: number): void {
    this.#cache.set(key, value, ttlMs);
  }

  /** The cached value, or `undefined` when absent or expired. */
  getCache<V = unknown>(key: string): V | undefined {
    return this.#cache.get<V>(key);
  }

  /** Drop cached keys starting with `prefix` on every instance; resolves with the local count. */
  invalidateCache(prefix: string): Promise<number> {
    return this.#cache.invalidate(prefix);
  }

  /** Stop listening and drop handlers and the cache (the bus belongs to its owner). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#stopListening();
    this.#handlers.clear();
    this.#cache.close();
  }

  #receive(payload: string, origin: string): void {
    const event = parseEvent(payload);
    if (event === undefined) {
      this.options.logger.warn({ origin }, 'ignored a malformed sync event from the bus');
      return;
    }
    this.#handlers.dispatch(event, { origin, local: origin === this.options.bus.instanceId });
  }

  #assertOpen(): void {
    if (this.#closed) throw new SyncError('HS_SYNC_CLOSED', 'The SyncService was closed.');
  }
}

function parseEvent(payload: string): SyncEvent | undefined {
  let event: Partial<SyncEvent> | null;
  try {
    event = JSON.parse(payload) as Partial<SyncEvent> | null;
  } catch {
    return undefined;
  }
  if (event === null || typeof event !== 'object') return undefined;
  const { type, id, ts } = event;
  if (!isEventName(type) || typeof id !== 'string' || typeof ts !== 'number') return undefined;
  return { type, data: event.data, id, ts };
}
