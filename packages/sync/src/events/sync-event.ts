/**
 * One event as handlers and clients receive it. Events are invalidation hints: `data` names
 * what changed (ids, the user it concerns), and readers refetch the truth.
 */
export interface SyncEvent<T extends string = string, D = unknown> {
  /** The catalog name, e.g. `users.balance_updated`. */
  readonly type: T;
  /** The payload, as validated by the catalog's schema. */
  readonly data: D;
  /** A unique id (UUID) for de-duplication and logs. */
  readonly id: string;
  /** When it was published, in ms since the epoch. */
  readonly ts: number;
}
