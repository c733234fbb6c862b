import type { PGlite, Transaction } from '@electric-sql/pglite';
import type { ReservedSql, SqlClient } from './sql-client.ts';

/**
 * Adapt a PGlite instance (embedded PostgreSQL in WASM) to the {@link SqlClient} port.
 * PGlite serves one connection: statements run one at a time.
 *
 * @example
 * ```ts
 * const sql = pgliteSqlClient(await PGlite.create('./.data/pglite'));
 * ```
 */
export function pgliteSqlClient(db: PGlite | Transaction): SqlClient {
  const client: SqlClient = {
    dialect: 'pglite',
    async query<R extends object>(text: string, params: readonly unknown[] = []): Promise<R[]> {
      const result = await db.query<R>(text, [...params]);
      return result.rows;
    },
    async transaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T> {
      if (!('transaction' in db)) return work(pgliteSqlClient(db));
      return db.transaction((tx) => work(pgliteSqlClient(tx)));
    },
    async reserve(): Promise<ReservedSql> {
      return { ...client, release: () => undefined };
    },
  };
  return client;
}
