import type { Logger, MessageBus } from '@hybridstate/core';

/** Options of {@link LocalCache}. */
export interface LocalCacheOptions {
  /** Lifetime of an entry when `set` names none, in ms. @default 60_000 */
  readonly defaultTtlMs?: number;
  /** Entries kept; the oldest written goes first. @default 10_000 */
  readonly maxEntries?: number;
  /** The bus channel invalidations travel on. @default 'sync:cache' */
  readonly channel?: string;
}

/** Defaults of {@link LocalCacheOptions}. */
export const LOCAL_CACHE_DEFAULTS = {
  defaultTtlMs: 60_000,
  maxEntries: 10_000,
  channel: 'sync:cache',
} as const;

interface Slot {
  readonly value: unknown;
  readonly expiresAt: number;
}

/**
 * Seed 002's in-memory TTL cache, kept coherent across instances: `invalidate(prefix)` drops
 * matching keys here and, through the bus, on every other instance; a bus resync (messages
 * may have been missed) empties it.
 */
export class LocalCache {
  readonly #slots = new Map<string, Slot>();
  readonly #bus: MessageBus;
  readonly #options: Required<LocalCacheOptions>;
  readonly #stops: (() => void)[];
  readonly #logger: Logger;

  constructor(bus: MessageBus, logger: Logger, options: LocalCacheOptions = {}) {
    this.#bus = bus;
    this.#logger = logger;
    this.#options = { ...LOCAL_CACHE_DEFAULTS, ...options };
    this.#stops = [
      bus.subscribe(this.#options.channel, (prefix, origin) => {
        if (origin !== bus.instanceId) this.#drop(prefix);
      }),
      bus.onResync(() => this.clear()),
    ];
  }

  /** Keep `value` under `key` for `ttlMs` (default `defaultTtlMs`). */
  set(key: string, value: unknown, ttlMs = this.#options.defaultTtlMs): void {
    this.#slots.delete(key);
    this.#slots.set(key, { value, expiresAt: Date.now() + ttlMs });
    if (this.#slots.size > this.#options.maxEntries) {
      const oldest = this.#slots.keys().next().value;
      if (oldest !== undefined) this.#slots.delete(oldest);
    }
  }

  /** The live value under `key`, or `undefined`. */
  get<V = unknown>(key: string): V | undefined {
    const slot = this.#slots.get(key);
    if (slot === undefined) return undefined;
    if (slot.expiresAt > Date.now()) return slot.value as V;
    this.#slots.delete(key);
    return undefined;
  }

  /** Drop every key starting with `prefix` ('' drops all) here and on every instance. */
  async invalidate(prefix: string): Promise<number> {
    const dropped = this.#drop(prefix);
    await this.#bus.publish(this.#options.channel, prefix);
    return dropped;
  }

  /** Number of entries held (expired ones included until read). */
  get size(): number {
    return this.#slots.size;
  }

  /** Drop everything, here only. */
  clear(): void {
    if (this.#slots.size > 0)
      this.#logger.info({ entries: this.#slots.size }, 'sync cache flushed');
    this.#slots.clear();
  }

  /** Stop listening to the bus. */
  close(): void {
    for (const stop of this.#stops) stop();
    this.#slots.clear();
  }

  #drop(prefix: string): number {
    let dropped = 0;
    for (const key of this.#slots.keys()) {
      if (!key.startsWith(prefix)) continue;
      this.#slots.delete(key);
      dropped++;
    }
    return dropped;
  }
}
