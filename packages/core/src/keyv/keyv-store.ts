import { EventEmitter } from 'node:events';
import type { Family } from '../keyspace/family.ts';
import type { TieredStore } from '../store/tiered-store.ts';

/** A family whose template has exactly one parameter, `{key}`. */
export type KeyvFamily = Family<`${string}{key}${string}`, unknown>;

/**
 * A Keyv storage adapter over a {@link TieredStore}, so cache-manager and cacheable users can
 * put Redis + PostgreSQL under their cache. Each Keyv key lives in one family key (escaped);
 * the family's durability decides where it is kept.
 *
 * @example
 * ```ts
 * const cacheFamily = keyspace.family({ name: 'keyv', key: 'keyv:{key}', durability: 'durable' });
 * const keyv = new Keyv({ store: new KeyvTieredStore(store, cacheFamily) });
 * ```
 */
export class KeyvTieredStore extends EventEmitter {
  /** Keyv reads `opts.dialect` to decide whether the adapter can iterate. */
  readonly opts = { dialect: 'postgres', url: 'hybridstate://' } as const;
  /** Set by Keyv: the namespace whose keys `clear()` and `iterator()` cover. */
  namespace: string | undefined;
  readonly #store: TieredStore;
  readonly #family: KeyvFamily;

  constructor(store: TieredStore, family: KeyvFamily) {
    super();
    this.#store = store;
    this.#family = family;
  }

  async get(key: string): Promise<unknown> {
    return this.#store.get(this.#ref(key));
  }

  async getMany(keys: string[]): Promise<unknown[]> {
    return this.#store.getMany(keys.map((key) => this.#ref(key)));
  }

  async set(key: string, value: unknown, ttl?: number): Promise<boolean> {
    await this.#store.set(this.#ref(key), value, ttl === undefined ? {} : { ttlMs: ttl });
    return true;
  }

  async delete(key: string): Promise<boolean> {
    const ref = this.#ref(key);
    const existed = (await this.#store.get(ref)) !== undefined;
    if (existed) await this.#store.delete(ref);
    return existed;
  }

  async deleteMany(keys: string[]): Promise<boolean> {
    const results = await Promise.all(keys.map((key) => this.delete(key)));
    return results.every(Boolean);
  }

  async has(key: string): Promise<boolean> {
    return (await this.get(key)) !== undefined;
  }

  /** Delete every key of the current namespace (every key of the family when none). */
  async clear(): Promise<void> {
    for await (const page of this.#store.keys(this.#family)) {
      const mine = page.filter((ref) =>
        this.#inNamespace(this.#family.paramsOf(ref.key).key ?? '', this.namespace),
      );
      if (mine.length > 0) await this.#store.deleteMany(mine);
    }
  }

  /** Entries of a namespace as `[key, value]`. */
  async *iterator(namespace?: string): AsyncGenerator<[string, unknown]> {
    for await (const page of this.#store.keys(this.#family)) {
      const keys = page
        .map((ref) => this.#family.paramsOf(ref.key).key ?? '')
        .filter((k) => this.#inNamespace(k, namespace));
      const values = await this.getMany(keys);
      for (const [i, key] of keys.entries()) if (values[i] !== undefined) yield [key, values[i]];
    }
  }

  /** Nothing to do: the store's owner closes connections. */
  async disconnect(): Promise<void> {}

  #ref(key: string) {
    return this.#family.key({ key } as never);
  }

  #inNamespace(key: string, namespace: string | undefined): boolean {
    return namespace === undefined || key.startsWith(`${namespace}:`);
  }
}
