import type { KeyRef } from '../keyspace/family.ts';
import { RedisTier } from '../tiers/redis-tier.ts';
import type { CacheTier } from '../tiers/tier.ts';
import type { ReplicaAcks } from './store-options.ts';

/** How long a write waits for its replicas when `replicaAcks.timeoutMs` is not given. */
export const REPLICA_ACK_TIMEOUT_MS = 100;

/**
 * Asks Redis whether replicas hold what was written (`replicaAcks`): made once per store and
 * shared by the buffered and durable routes and the stale-mark purge.
 */
export class ReplicaWaiter {
  readonly tier: RedisTier;
  readonly replicas: number;
  readonly timeoutMs: number;

  constructor(tier: RedisTier, acks: ReplicaAcks) {
    this.tier = tier;
    this.replicas = acks.replicas;
    this.timeoutMs = acks.timeoutMs ?? REPLICA_ACK_TIMEOUT_MS;
  }

  /** Per ref, whether its master confirmed the replicas in time; a failed WAIT confirms none. */
  confirmed(refs: readonly KeyRef[]): Promise<boolean[]> {
    return this.tier
      .waitForReplicas(refs, this.replicas, this.timeoutMs)
      .catch(() => refs.map(() => false));
  }
}

/** The waiter of a store, or undefined when replica acks are off or the cache is not Redis. */
export function replicaWaiter(cache: CacheTier, acks?: ReplicaAcks): ReplicaWaiter | undefined {
  return acks !== undefined && acks.replicas > 0 && cache instanceof RedisTier
    ? new ReplicaWaiter(cache, acks)
    : undefined;
}
