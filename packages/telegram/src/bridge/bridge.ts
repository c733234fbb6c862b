import { encodeValue, type SqlClient } from '@hybridstate/core';

/** A row change the bridge hands to `save`: what was loaded (for optimistic checks) and what it is now. */
export interface RowChange<Row> {
  readonly key: string;
  /** The row as loaded; `undefined` for a row the handler added with `set`. */
  readonly before: Row | undefined;
  readonly after: Row;
}

/**
 * How one domain collection maps to PostgreSQL (seed 000's `users`, `months`, `kickstarters`,
 * `settings`). The application writes the SQL; the bridge decides when, and what changed.
 */
export interface BridgeCollection<Row> {
  /** Load the rows of these keys, and only those (never a whole table per update). */
  load(sql: SqlClient, keys: readonly string[]): Promise<Row[]>;
  /** A row's key. */
  keyOf(row: Row): string;
  /**
   * Write the changed rows and delete the removed keys, inside the bridge's one transaction.
   * Throwing rolls back every collection's changes of this update.
   */
  save(
    tx: SqlClient,
    changes: { readonly upserts: readonly RowChange<Row>[]; readonly deletes: readonly string[] },
  ): Promise<void>;
}

/** What a handler sees for a collection: rows loaded on first use, edited in place or replaced. */
export interface BridgeAccess<Row> {
  /** The row of a key, loaded once per update; `undefined` when there is none. */
  get(key: string | number): Promise<Row | undefined>;
  /** Several rows in one query. */
  getMany(keys: readonly (string | number)[]): Promise<(Row | undefined)[]>;
  /** Add or replace a row. */
  set(row: Row): void;
  /** Remove a row. */
  delete(key: string | number): void;
}

/** Tracks one collection's rows during one update. */
class CollectionState<Row> implements BridgeAccess<Row> {
  readonly #collection: BridgeCollection<Row>;
  readonly #sql: SqlClient;
  /** key -> [row as loaded (encoded, for the diff), the live object] */
  readonly #loaded = new Map<string, { snapshot: string; before: Row; row: Row } | null>();
  readonly #added = new Map<string, Row>();
  readonly #deleted = new Set<string>();
  readonly #loading = new Map<string, Promise<void>>();

  constructor(collection: BridgeCollection<Row>, sql: SqlClient) {
    this.#collection = collection;
    this.#sql = sql;
  }

  async get(key: string | number): Promise<Row | undefined> {
    return (await this.getMany([key]))[0];
  }

  async getMany(keys: readonly (string | number)[]): Promise<(Row | undefined)[]> {
    const wanted = keys.map(String);
    const missing = [
      ...new Set(
        wanted.filter((k) => !this.#loaded.has(k) && !this.#added.has(k) && !this.#loading.has(k)),
      ),
    ];
    if (missing.length > 0) {
      // Concurrent gets of one key share one load, so edits to the row are never split across copies.
      const loading = this.#load(missing);
      for (const key of missing) this.#loading.set(key, loading);
    }
    await Promise.all(wanted.map((k) => this.#loading.get(k)));
    return wanted.map((k) =>
      this.#deleted.has(k) ? undefined : (this.#added.get(k) ?? this.#loaded.get(k)?.row),
    );
  }

  async #load(keys: readonly string[]): Promise<void> {
    try {
      const rows = await this.#collection.load(this.#sql, keys);
      for (const key of keys) if (!this.#loaded.has(key)) this.#loaded.set(key, null);
      for (const row of rows) {
        this.#loaded.set(this.#collection.keyOf(row), {
          snapshot: encodeValue(row),
          before: structuredClone(row),
          row,
        });
      }
    } finally {
      for (const key of keys) this.#loading.delete(key);
    }
  }

  set(row: Row): void {
    const key = this.#collection.keyOf(row);
    this.#deleted.delete(key);
    this.#added.set(key, row);
  }

  delete(key: string | number): void {
    this.#added.delete(String(key));
    this.#deleted.add(String(key));
  }

  /** Rows that differ from what was loaded (deep comparison), and deletions. */
  changes(): { upserts: RowChange<Row>[]; deletes: string[] } {
    const upserts: RowChange<Row>[] = [];
    for (const [key, entry] of this.#loaded) {
      if (entry === null || this.#deleted.has(key) || this.#added.has(key)) continue;
      if (encodeValue(entry.row) !== entry.snapshot)
        upserts.push({ key, before: entry.before, after: entry.row });
    }
    for (const [key, row] of this.#added) {
      const entry = this.#loaded.get(key);
      if (entry == null || encodeValue(row) !== entry.snapshot)
        upserts.push({ key, before: entry?.before, after: row });
    }
    return { upserts, deletes: [...this.#deleted] };
  }
}

/**
 * Seed 000's "PG bridge", generic: `ctx.<collection>` gives rows loaded lazily from PostgreSQL
 * (a handler that never touches a collection costs no query), and after the handlers the rows
 * that changed (deep comparison) are written in one transaction. A handler that throws writes
 * nothing.
 *
 * @example
 * ```ts
 * bot.use(createBridge(sql, { users: usersCollection }));
 * bot.command('pay', async (ctx) => { (await ctx.users.get(ctx.from.id))!.balance -= 10; });
 * ```
 */
// biome-ignore lint/suspicious/noExplicitAny: a collection's Row is invariant; each keeps its own.
export function createBridge<C extends Record<string, BridgeCollection<any>>>(
  sql: SqlClient,
  collections: C,
) {
  return async (ctx: object, next: () => Promise<void>): Promise<void> => {
    const states = new Map<string, CollectionState<unknown>>();
    for (const [name, collection] of Object.entries(collections)) {
      Object.defineProperty(ctx, name, {
        configurable: true,
        enumerable: true,
        get: () => {
          let state = states.get(name);
          if (state === undefined) {
            state = new CollectionState(collection, sql);
            states.set(name, state);
          }
          return state;
        },
      });
    }
    await next(); // no catch: a handler that throws leaves the database as it was
    const pending = [...states]
      .map(([name, state]) => ({ collection: collections[name]!, changes: state.changes() }))
      .filter(({ changes }) => changes.upserts.length > 0 || changes.deletes.length > 0);
    if (pending.length === 0) return;
    await sql.transaction(async (tx) => {
      for (const { collection, changes } of pending) await collection.save(tx, changes);
    });
  };
}

/** The context properties a bridge adds. */
// biome-ignore lint/suspicious/noExplicitAny: a collection's Row is invariant; each keeps its own.
export type BridgeFlavor<C extends Record<string, BridgeCollection<any>>> = {
  readonly [K in keyof C]: C[K] extends BridgeCollection<infer Row> ? BridgeAccess<Row> : never;
};
