import type { KeyRef } from '../keyspace/family.ts';
import type { StoredEntry, TierWrite, TierWriteOptions, WriteOutcome } from '../tiers/tier.ts';

/**
 * How one durability mode reads and writes across the tiers. The store picks a route per
 * family; each route owns its fallbacks.
 */
export interface Route {
  /** Live entries, fastest tier first, restoring faster tiers on a miss. */
  read(refs: readonly KeyRef[]): Promise<(StoredEntry | null)[]>;
  /** The authoritative entry (for `update()` retries after a lost race). */
  readAuthoritative(ref: KeyRef): Promise<StoredEntry | null>;
  /**
   * Write with tier-assigned versions; resolves once the mode's acknowledgement holds. With
   * `unlockToken`, the keys' session locks are released in the cache write's atomic step.
   */
  write(entries: readonly TierWrite[], options?: TierWriteOptions): Promise<WriteOutcome[]>;
  /**
   * Write only if the authoritative version is still `expected`. Routes that honour
   * `options.unlockToken` release the key's session lock in the same cache step.
   */
  compareAndSet(
    entry: Omit<TierWrite, 'version'>,
    expected: number | null,
    options?: TierWriteOptions,
  ): Promise<WriteOutcome>;
}
