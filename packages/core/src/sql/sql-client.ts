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
  /**
   * Hold one connection for a while (session-level advisory locks live on a connection);
   * `release` returns it. PGlite has a single connection and returns itself.
   */
  reserve(): Promise<ReservedSql>;
}

/** A connection held by {@link SqlClient.reserve}. */
export interface ReservedSql extends SqlClient {
  /** Give the connection back; `broken` drops it instead (its session state is unknown). */
  release(broken?: boolean): void;
}
