import type { KeyRef } from '../keyspace/family.ts';

/**
 * Redis keys of one shard's write-behind journal. They share the shard's hash tag with every
 * value key of the shard (one Redis Cluster slot), and start with `#`, which no family key
 * can produce, so they never collide with data.
 */
export interface JournalKeys {
  /** The shard's hash tag, `{prefix:shard}`; a value key is `tag + ':' + key`. */
  readonly tag: string;
  /** Stream of pending writes (consumer group `hs-flushers`). */
  readonly journal: string;
  /** Epoch ms by which the shard must be flushed (a Redis copy would expire after it). */
  readonly deadline: string;
  /** Stream of entries PostgreSQL refused, with the error. */
  readonly dead: string;
}

/** The consumer group every flusher joins. */
export const FLUSHER_GROUP = 'hs-flushers';

/** Journal keys for a hash tag such as `{hs:3}`. */
export function journalKeys(tag: string): JournalKeys {
  return {
    tag,
    journal: `${tag}:#wb:journal`,
    deadline: `${tag}:#wb:deadline`,
    dead: `${tag}:#wb:dead`,
  };
}

/** Journal keys of the shard a key lives in. */
export function journalKeysOf(ref: KeyRef): JournalKeys {
  return journalKeys(ref.redisKey.slice(0, ref.redisKey.indexOf('}') + 1));
}

/** The hash tag of a shard: `{prefix:shard}`. */
export function shardTag(prefix: string, shard: number): string {
  return `{${prefix}:${shard}}`;
}
