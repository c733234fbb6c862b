/** Options of {@link RamFallback}. */
export interface RamFallbackOptions {
  /** Users whose last known history is kept in memory (least recently used go first). @default 1000 */
  readonly maxUsers?: number;
  /** Turns kept per user. @default 20 */
  readonly maxTurns?: number;
}

/** Defaults of {@link RamFallbackOptions}. */
export const RAM_FALLBACK_DEFAULTS = { maxUsers: 1000, maxTurns: 20 } as const;

/**
 * Seed 003's last tier, "RAM": the last history this process saw per user (so the bot still
 * remembers while Redis and PostgreSQL are both down) and the turns it could not store (written
 * to the store with the user's next message once a tier is back). Bounded; lost if the process
 * dies during the outage, which is why bookings never fall back here.
 */
export class RamFallback<T> {
  readonly #known = new Map<string, T[]>();
  readonly #pending = new Map<string, T[]>();
  readonly #options: Required<RamFallbackOptions>;

  constructor(options: RamFallbackOptions = {}) {
    this.#options = { ...RAM_FALLBACK_DEFAULTS, ...options };
  }

  /** Remember what the store returned or accepted for `id`. */
  remember(id: string, items: readonly T[]): void {
    this.#known.delete(id);
    this.#known.set(id, items.slice(-this.#options.maxTurns));
    if (this.#known.size > this.#options.maxUsers) {
      const oldest = this.#known.keys().next().value;
      if (oldest !== undefined && !this.#pending.has(oldest)) this.#known.delete(oldest);
    }
  }

  /** Keep items the store could not take; they are also part of the known history. */
  keep(id: string, items: readonly T[]): void {
    this.#pending.set(
      id,
      [...(this.#pending.get(id) ?? []), ...items].slice(-this.#options.maxTurns),
    );
    this.remember(id, [...(this.#known.get(id) ?? []), ...items]);
  }

  /** The last known history of `id` (store copy plus anything pending). */
  known(id: string): T[] {
    return [...(this.#known.get(id) ?? [])];
  }

  /** Items waiting for the store, removed from the waiting list (give them back with {@link keep} on failure). */
  takePending(id: string): T[] {
    const items = this.#pending.get(id) ?? [];
    this.#pending.delete(id);
    return items;
  }

  /** Items waiting for the store, left in place. */
  pending(id: string): readonly T[] {
    return this.#pending.get(id) ?? [];
  }

  /** Ids with items waiting for the store. */
  pendingIds(): string[] {
    return [...this.#pending.keys()];
  }

  /** How many users have items waiting for the store. */
  get pendingUsers(): number {
    return this.#pending.size;
  }
}
