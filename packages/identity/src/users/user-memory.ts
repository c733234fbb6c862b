import type { CachedUser } from './user-cache.ts';

/**
 * The opt-in process-memory copy of users in front of Redis. A "user changed" message bumps
 * the user's generation, so a read that started before the change cannot store what it
 * loaded after it (it would be stale until the TTL).
 */
export class UserMemory {
  readonly #entries = new Map<string, { user: CachedUser; until: number }>();
  readonly #generations = new Map<string, number>();
  #epoch = 0;
  readonly #ttlMs: number;
  readonly #maxEntries: number;

  constructor(ttlMs: number, maxEntries: number) {
    this.#ttlMs = ttlMs;
    this.#maxEntries = maxEntries;
  }

  /** The remembered user, while fresh. */
  get(userId: string): CachedUser | undefined {
    const entry = this.#entries.get(userId);
    if (entry === undefined || entry.until > Date.now()) return entry?.user;
    this.#entries.delete(userId);
    return undefined;
  }

  /** The user's generation now; pass it back to {@link remember}. */
  generation(userId: string): string {
    return `${this.#epoch}:${this.#generations.get(userId) ?? 0}`;
  }

  /** Remember `user`, unless the user changed (or everything was dropped) since `generation`. */
  remember(userId: string, user: CachedUser, generation: string): void {
    if (this.generation(userId) !== generation) return;
    this.#entries.delete(userId);
    this.#entries.set(userId, { user, until: Date.now() + this.#ttlMs });
    if (this.#entries.size > this.#maxEntries)
      this.#entries.delete(this.#entries.keys().next().value as string);
  }

  /** Drop the user and move their generation on. */
  forget(userId: string): void {
    this.#entries.delete(userId);
    if (this.#generations.size >= this.#maxEntries * 2) this.clear();
    else this.#generations.set(userId, (this.#generations.get(userId) ?? 0) + 1);
  }

  /** Drop everything; reads in flight will not store what they loaded. */
  clear(): void {
    this.#entries.clear();
    this.#generations.clear();
    this.#epoch++;
  }
}
