/**
 * The SQL port: the few calls the PostgreSQL tier needs. Adapters exist for node-postgres
 * (`pgSqlClient`) and PGlite (`pgliteSqlClient`); both run the same SQL.
 */
export interface SqlClient {
  /** `postgres` for a server, `pglite` for the embedded WASM build. */
  readonly dialect: 'postgres' | 'pglite';
  /**
   * Run one statement with `$1`-style parameters. `name` marks a hot statement worth
   * preparing once per connection (ignored where unsupported).
   */
  query<R extends object>(text: string, params?: readonly unknown[], name?: string): Promise<R[]>;
  /** Run `work` in one transaction on one connection; rolls back when it throws. */
  transaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T>;
}
