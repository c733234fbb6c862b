import { journalKeys, type RedisClient, shardTag } from '@hybridstate/core';

/**
 * Buffered writes still in the write-behind journal, counted per PostgreSQL namespace
 * (`prefix:family`). Reads every shard's stream with XRANGE in pages: read-only, and the
 * journal is short when the flusher keeps up.
 *
 * @example
 * ```ts
 * const pending = await pendingWrites(redis, 'hs', 16); // Map { 'hs:user_memory' => 3 }
 * ```
 */
export async function pendingWrites(
  redis: RedisClient,
  prefix: string,
  shards: number,
  pageSize = 1000,
): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (let shard = 0; shard < shards; shard++) {
    const { journal } = journalKeys(shardTag(prefix, shard));
    let start = '-';
    for (;;) {
      const page = await redis.xrange(journal, start, '+', 'COUNT', pageSize);
      for (const [, fields] of page) {
        const namespace = namespaceOf(fields);
        counts.set(namespace, (counts.get(namespace) ?? 0) + 1);
      }
      if (page.length < pageSize) break;
      start = `(${page.at(-1)![0]}`;
    }
  }
  return counts;
}

function namespaceOf(fields: readonly string[]): string {
  for (let i = 0; i < fields.length; i += 2) if (fields[i] === 'n') return fields[i + 1] ?? '';
  return '';
}
