import { mkdir } from 'node:fs/promises';
import pg from 'pg';
import type { PostgresConfig } from '../config/postgres-config.ts';
import { pgSqlClient } from '../sql/pg-sql-client.ts';
import { pgliteSqlClient } from '../sql/pglite-sql-client.ts';
import type { SqlClient } from '../sql/sql-client.ts';

/** Pool settings that keep calls bounded while PostgreSQL is unreachable. */
export const POSTGRES_POOL_DEFAULTS = {
  max: 10,
  /** Waiting for a connection (or a pool slot) fails after this many ms. */
  connectionTimeoutMillis: 1000,
  /** A statement that runs longer is cancelled by the server. */
  statement_timeout: 5000,
  /** The client gives up on a reply after this many ms. */
  query_timeout: 6000,
  idleTimeoutMillis: 30_000,
  allowExitOnIdle: true,
} as const satisfies pg.PoolConfig;

/** An open SQL connection and how to close it. */
export interface OpenSql {
  readonly sql: SqlClient;
  close(): Promise<void>;
}

/**
 * Open PostgreSQL as configured: a node-postgres pool for a server, or PGlite persisted in
 * `dataDir` for embedded mode (loaded only then: it is a WASM build).
 *
 * node-postgres was chosen over postgres.js by measurement (bench/clients.ts): 1.3-1.6x the
 * throughput on single-row selects and upserts at 16-way here (sequential round trips within
 * noise of each other), and PGlite's `query(text, params)` mirrors its API. See the README.
 *
 * @example
 * ```ts
 * const { sql, close } = await openPostgres(config.postgres);
 * ```
 */
export async function openPostgres(
  config: PostgresConfig,
  options: pg.PoolConfig = {},
): Promise<OpenSql> {
  if (config.mode === 'pglite') {
    const { PGlite } = await import('@electric-sql/pglite');
    await mkdir(config.dataDir, { recursive: true });
    const db = await PGlite.create(config.dataDir);
    return { sql: pgliteSqlClient(db), close: () => db.close() };
  }
  const pool = new pg.Pool({ ...POSTGRES_POOL_DEFAULTS, connectionString: config.url, ...options });
  // An idle client losing its connection must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  return { sql: pgSqlClient(pool), close: () => pool.end() };
}
