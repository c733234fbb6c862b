import type { KeyRef } from '../keyspace/family.ts';

/** Floors remembered at most; beyond it the oldest goes (a bounded map, not a leak). */
const MAX_FLOORS = 10_000;

/**
 * The lowest version the L1 may still cache per key, for a while after another instance
 * announced a write. A read that started before that write and finishes after its
 * invalidation would otherwise put the old value back; versions grow per key, so it is
 * recognised by its lower version.
 */
export class L1VersionFloors {
  readonly #floors = new Map<string, { readonly version: number; readonly until: number }>();

  /** From now until `ttlMs` later, refuse versions of `ref` below `version`. */
  raise(ref: KeyRef, version: number, ttlMs: number): void {
    const current = this.#floors.get(ref.redisKey);
    if (current !== undefined && current.version >= version && current.until > Date.now()) return;
    this.#floors.delete(ref.redisKey);
    this.#floors.set(ref.redisKey, { version, until: Date.now() + ttlMs });
    if (this.#floors.size > MAX_FLOORS) {
      const oldest = this.#floors.keys().next().value;
      if (oldest !== undefined) this.#floors.delete(oldest);
    }
  }

  /** True when `version` of `ref` is older than a write another instance announced. */
  isBelow(ref: KeyRef, version: number): boolean {
    const floor = this.#floors.get(ref.redisKey);
    if (floor === undefined) return false;
    if (floor.until <= Date.now()) {
      this.#floors.delete(ref.redisKey);
      return false;
    }
    return version < floor.version;
  }

  /** Forget every floor. */
  clear(): void {
    this.#floors.clear();
  }
}
