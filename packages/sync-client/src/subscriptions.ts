import { matchesPattern } from './event-pattern.ts';
import type { SyncEvent } from './frames.ts';

/** Receives the events a subscription matches. */
export type SyncEventHandler = (event: SyncEvent) => void;

/**
 * The client's subscriptions, counted per pattern: the server hears about a pattern when its
 * first handler arrives and when its last one leaves, and all of them again after a reconnect.
 */
export class Subscriptions {
  readonly #byPattern = new Map<string, Set<SyncEventHandler>>();

  /** Add handlers; returns the patterns that are new. */
  add(patterns: readonly string[], handler: SyncEventHandler): string[] {
    const added: string[] = [];
    for (const pattern of patterns) {
      const handlers = this.#byPattern.get(pattern) ?? new Set<SyncEventHandler>();
      if (handlers.size === 0) added.push(pattern);
      handlers.add(handler);
      this.#byPattern.set(pattern, handlers);
    }
    return added;
  }

  /** Remove a handler (or every handler when none is named); returns the patterns now unused. */
  remove(patterns: readonly string[], handler?: SyncEventHandler): string[] {
    const removed: string[] = [];
    for (const pattern of patterns) {
      const handlers = this.#byPattern.get(pattern);
      if (handlers === undefined) continue;
      if (handler === undefined) handlers.clear();
      else handlers.delete(handler);
      if (handlers.size > 0) continue;
      this.#byPattern.delete(pattern);
      removed.push(pattern);
    }
    return removed;
  }

  /** Every pattern with a handler. */
  patterns(): string[] {
    return [...this.#byPattern.keys()];
  }

  /** Call each handler whose pattern matches, once per handler. */
  dispatch(event: SyncEvent, onError: (error: unknown) => void): void {
    const called = new Set<SyncEventHandler>();
    for (const [pattern, handlers] of this.#byPattern) {
      if (!matchesPattern(pattern, event.type)) continue;
      for (const handler of handlers) {
        if (called.has(handler)) continue;
        called.add(handler);
        try {
          handler(event);
        } catch (error) {
          onError(error);
        }
      }
    }
  }
}
