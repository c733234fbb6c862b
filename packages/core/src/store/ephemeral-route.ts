import { isHybridStateError } from '../errors.ts';
import type { KeyRef } from '../keyspace/family.ts';
import { callSafely } from '../resilience/call-safely.ts';
import type { MemoryTier } from '../tiers/memory-tier.ts';
import type {
  CacheTier,
  StoredEntry,
  Tier,
  TierWrite,
  TierWriteOptions,
  WriteOutcome,
} from '../tiers/tier.ts';
import type { Route } from './route.ts';
import type { TierGate } from './tier-gate.ts';

/**
 * `ephemeral` families: the cache (Redis, or memory in embedded mode) is the only home.
 * While Redis is down they live in this process's memory, best effort: those values are
 * not shared with other processes and are dropped when Redis returns.
 */
export class EphemeralRoute implements Route {
  readonly #cache: TierGate<CacheTier>;
  readonly #fallback: MemoryTier;

  constructor(cache: TierGate<CacheTier>, fallback: MemoryTier) {
    this.#cache = cache;
    this.#fallback = fallback;
  }

  async read(refs: readonly KeyRef[]): Promise<(StoredEntry | null)[]> {
    const entries = await this.#use((tier) => tier.read(refs));
    this.#cache.recordLookups(refs, (i) => entries[i] != null);
    return entries;
  }

  async readAuthoritative(ref: KeyRef): Promise<StoredEntry | null> {
    const [entry] = await this.read([ref]);
    return entry ?? null;
  }

  write(entries: readonly TierWrite[], options: TierWriteOptions = {}): Promise<WriteOutcome[]> {
    // Redis (or memory) is the truth here: a write whose lock was lost is fenced off.
    const locked = options.unlockToken === undefined ? {} : { ...options, fence: true };
    return this.#use((tier) =>
      tier === this.#fallback ? tier.write(entries) : (tier as CacheTier).write(entries, locked),
    );
  }

  compareAndSet(
    entry: Omit<TierWrite, 'version'>,
    expected: number | null,
    options: TierWriteOptions = {},
  ): Promise<WriteOutcome> {
    if (options.unlockToken === undefined)
      return this.#use((tier) => tier.compareAndSet(entry, expected));
    // A locked write whose Redis went away lands in process memory, as `write` does: the
    // fallback holds none of Redis's versions to compare with.
    const locked = { ...options, fence: true };
    return this.#use((tier) =>
      tier === this.#fallback
        ? this.#fallback.write([entry]).then(([outcome]) => outcome!)
        : (tier as CacheTier).compareAndSet(entry, expected, locked),
    );
  }

  #use<R>(operation: (tier: Tier) => Promise<R>): Promise<R> {
    if (!this.#cache.isUp) return callSafely(operation, this.#fallback);
    return this.#cache.call(operation, (error: unknown) => {
      if (!isHybridStateError(error, 'HS_TIER_UNAVAILABLE')) throw error;
      return operation(this.#fallback);
    });
  }
}
