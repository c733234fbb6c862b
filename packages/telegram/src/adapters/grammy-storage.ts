import type { TieredStore } from '@hybridstate/core';
import type { StorageAdapter } from 'grammy';
import type { StorageFamily } from './storage-family.ts';

/**
 * grammY's `StorageAdapter` over the tiered store, for bots that keep grammY's own `session()`
 * plugin: values live in Redis + PostgreSQL with the family's durability. grammY's plugin reads
 * and writes back whole sessions, so concurrent updates of one key can still overwrite each
 * other; use `Sessions` for lossless updates.
 *
 * @example
 * ```ts
 * bot.use(session({ initial: () => ({ count: 0 }), storage: toGrammyStorage(store, storageFamily(keyspace, { name: 'grammy' })) }));
 * ```
 */
export function toGrammyStorage<T>(store: TieredStore, family: StorageFamily): StorageAdapter<T> {
  const ref = (key: string) => family.key({ key } as never);
  const keys = async function* (): AsyncIterable<string> {
    for await (const page of store.keys(family))
      for (const item of page) yield family.paramsOf(item.key).key!;
  };
  return {
    read: (key) => store.get(ref(key)) as Promise<T | undefined>,
    write: (key, value) => store.set(ref(key), value),
    delete: (key) => store.delete(ref(key)),
    has: async (key) => (await store.get(ref(key))) !== undefined,
    readAllKeys: keys,
    async *readAllValues() {
      for await (const [, value] of entries()) yield value;
    },
    readAllEntries: entries,
  };

  async function* entries(): AsyncIterable<[key: string, value: T]> {
    for await (const page of store.keys(family)) {
      const values = await store.getMany(page);
      for (const [i, item] of page.entries())
        if (values[i] !== undefined) yield [family.paramsOf(item.key).key!, values[i] as T];
    }
  }
}
