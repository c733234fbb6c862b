import type { KeyRef } from '../keyspace/family.ts';

/** The `{prefix:shard}` hash tag of a key's Redis name. */
function hashTagOf(ref: KeyRef): string {
  return ref.redisKey.slice(0, ref.redisKey.indexOf('}') + 1);
}

/**
 * The Redis key of a key's session lock. It shares the key's hash tag (one Cluster slot, so
 * a write and the lock's release run in one Lua step) and starts with `#`, which no family
 * key can produce.
 */
export function lockKeyOf(ref: KeyRef): string {
  return `${hashTagOf(ref)}:#lock:${ref.key}`;
}

/**
 * The Redis key a contender sets when a key's lock is taken: the holder of a kept lease (see
 * `LockOptions.keepMs`) sees it on its next write or renewal and gives the key up. Same hash
 * tag as the key.
 */
export function wantKeyOf(ref: KeyRef): string {
  return `${hashTagOf(ref)}:#want:${ref.key}`;
}
