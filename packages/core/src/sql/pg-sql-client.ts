import type { Pool, PoolClient } from 'pg';
import type { ReservedSql, SqlClient } from './sql-client.ts';

/**
 * Adapt a node-postgres `Pool` (or a checked-out client) to the {@link SqlClient} port.
 *
 * @example
 * ```ts
 * const sql = pgSqlClient(new pg.Pool({ connectionString: config.postgres.url }));
 * ```
 */
export function pgSqlClient(pool: Pool | PoolClient): SqlClient {
  const self: SqlClient = {
    dialect: 'postgres',
    async query<R extends object>(
      text: string,
      params: readonly unknown[] = [],
      name?: string,
    ): Promise<R[]> {
      const result = await pool.query<R>(
        name === undefined ? { text, values: [...params] } : { name, text, values: [...params] },
      );
      return result.rows;
    },
    async transaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T> {
      const client = 'release' in pool ? pool : await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work(pgSqlClient(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        if (client !== pool) client.release();
      }
    },
    async reserve(): Promise<ReservedSql> {
      if ('release' in pool) return { ...self, release: () => undefined };
      const connection = await pool.connect();
      return {
        ...pgSqlClient(connection),
        release: (broken?: boolean) => connection.release(broken === true),
      };
    },
  };
  return self;
}
