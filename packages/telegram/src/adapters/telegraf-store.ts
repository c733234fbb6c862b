import type { TieredStore } from '@hybridstate/core';
import type { SessionStore } from 'telegraf/session';
import type { StorageFamily } from './storage-family.ts';

/**
 * Telegraf's `SessionStore` over the tiered store, for bots that keep Telegraf's own
 * `session()`. Telegraf writes whole sessions back, so concurrent updates of one key can still
 * overwrite each other; use `Sessions` for lossless updates.
 *
 * @example
 * ```ts
 * bot.use(session({ store: toTelegrafStore(store, storageFamily(keyspace, { name: 'telegraf' })) }));
 * ```
 */
export function toTelegrafStore<T>(store: TieredStore, family: StorageFamily): SessionStore<T> {
  const ref = (key: string) => family.key({ key } as never);
  return {
    get: (name) => store.get(ref(name)) as Promise<T | undefined>,
    set: (name, value) => store.set(ref(name), value),
    delete: (name) => store.delete(ref(name)),
  };
}
