import type { KeyRef } from '../keyspace/family.ts';

/** The `{prefix:shard}` hash tag of a key's Redis name (its Cluster slot). */
export function hashTagOf(ref: KeyRef): string {
  return ref.redisKey.slice(0, ref.redisKey.indexOf('}') + 1);
}

/**
 * The Redis key of a key's session lock. It shares the key's hash tag (one Cluster slot, so
 * a write and the lock's release run in one Lua step) and starts with `#`, which no family
 * key can produce.
 */
export function lockKeyOf(ref: KeyRef): string {
  let lockKey = lockKeys.get(ref);
  if (lockKey === undefined) {
    lockKey = `${hashTagOf(ref)}:#lock:${ref.key}`;
    lockKeys.set(ref, lockKey);
  }
  return lockKey;
}

/**
 * Lock keys of key references still in use: a session's reference lives across its updates
 * (see the telegram package's ScopeKeys), and its lock key is needed on every commit.
 */
const lockKeys = new WeakMap<KeyRef, string>();

/**
 * The Redis set of a shard's keys that a contender is waiting for (their lock key names): a
 * process keeping leases (see `LockOptions.keepMs`) looks at it every tick and gives up the
 * idle keys listed. One per hash tag, so it shares the keys' Cluster slot.
 */
export function wantedSetOf(ref: KeyRef): string {
  return `${hashTagOf(ref)}:#wanted`;
}
