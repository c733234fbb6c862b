import type { Durability, Family, Keyspace } from '@hybridstate/core';

/** A family whose keys are one free-form string: what framework session stores address. */
export type StorageFamily = Family<`${string}:{key}`, unknown>;

/** Options of {@link storageFamily}. */
export interface StorageFamilyOptions {
  /** Letters, digits, `_ . -`. The family is `storage_<name>`, keys `storage:<name>:{key}`. */
  readonly name: string;
  /** @default 'durable' */
  readonly durability?: Durability;
  /** Required for ephemeral storage. */
  readonly ttlMs?: number;
}

/**
 * Declare the family an adapter stores framework sessions in.
 *
 * @example
 * ```ts
 * const storage = toGrammyStorage(store, storageFamily(keyspace, { name: 'grammy' }));
 * ```
 */
export function storageFamily(keyspace: Keyspace, options: StorageFamilyOptions): StorageFamily {
  return keyspace.family({
    name: `storage_${options.name}`,
    key: `storage:${options.name}:{key}`,
    durability: options.durability ?? 'durable',
    ...(options.ttlMs === undefined ? {} : { ttlMs: options.ttlMs }),
    context: 'telegram',
  }) as unknown as StorageFamily;
}
