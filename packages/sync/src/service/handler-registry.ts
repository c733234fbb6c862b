import type { Logger } from '@hybridstate/core';
import { patternsMatching } from '../events/event-pattern.ts';
import type { SyncEvent } from '../events/sync-event.ts';

/** Where an event came from, for handlers that care (the gateway does). */
export interface EventMeta {
  /** The `instanceId` of the bus it was published on. */
  readonly origin: string;
  /** True when it was published in this process. */
  readonly local: boolean;
}

/** Receives one event. A rejection or throw is logged; other handlers still run. */
export type EventHandler<E extends SyncEvent = SyncEvent> = (event: E, meta: EventMeta) => unknown;

interface Entry {
  readonly handler: EventHandler;
  readonly once: boolean;
}

/**
 * Handlers by pattern (name, `domain.*`, `*`). Dispatch looks up the three patterns that can
 * match a name, so its cost does not grow with the number of patterns.
 */
export class HandlerRegistry {
  readonly #byPattern = new Map<string, Set<Entry>>();
  readonly #logger: Logger;

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  /** Register `handler` for `pattern` (already validated). */
  add(pattern: string, handler: EventHandler, once: boolean): void {
    const entries = this.#byPattern.get(pattern) ?? new Set<Entry>();
    this.#byPattern.set(pattern, entries);
    entries.add({ handler, once });
  }

  /** Remove every registration of `handler` for `pattern`. */
  remove(pattern: string, handler: EventHandler): void {
    const entries = this.#byPattern.get(pattern);
    if (entries === undefined) return;
    for (const entry of entries) if (entry.handler === handler) entries.delete(entry);
    if (entries.size === 0) this.#byPattern.delete(pattern);
  }

  /** Call every handler whose pattern matches the event. */
  dispatch(event: SyncEvent, meta: EventMeta): void {
    for (const pattern of patternsMatching(event.type)) {
      const entries = this.#byPattern.get(pattern);
      if (entries === undefined) continue;
      for (const entry of [...entries]) {
        if (entry.once) this.remove(pattern, entry.handler);
        this.#call(entry.handler, event, meta);
      }
    }
  }

  /** Forget every handler. */
  clear(): void {
    this.#byPattern.clear();
  }

  #call(handler: EventHandler, event: SyncEvent, meta: EventMeta): void {
    try {
      const result = handler(event, meta);
      if (result instanceof Promise) result.catch((error: unknown) => this.#report(error, event));
    } catch (error) {
      this.#report(error, event);
    }
  }

  #report(error: unknown, event: SyncEvent): void {
    this.#logger.error(
      { err: error, event: event.type, id: event.id },
      'a sync event handler failed',
    );
  }
}
