import type { SqlClient } from '@hybridstate/core';

/** Rows of one family in PostgreSQL (its namespace is `prefix:family`). */
export interface PostgresFamily {
  readonly family: string;
  readonly rows: number;
  readonly tombstones: number;
  /** Bytes of the stored JSON values. */
  readonly valueBytes: number;
  /** Live rows without an expiry. */
  readonly withoutExpiry: number;
}

/**
 * Count the store's rows per family with one grouped query (the primary key starts with the
 * namespace, so it is an index range).
 *
 * @example
 * ```ts
 * const families = await postgresFamilies(sql, 'hybridstate', 'hs');
 * ```
 */
export async function postgresFamilies(
  sql: SqlClient,
  schema: string,
  prefix: string,
  family?: string,
): Promise<PostgresFamily[]> {
  const rows = await sql.query<{
    namespace: string;
    rows: string;
    tombstones: string;
    bytes: string | null;
    no_expiry: string;
  }>(
    `SELECT namespace,
            count(*) FILTER (WHERE value IS NOT NULL) AS rows,
            count(*) FILTER (WHERE value IS NULL) AS tombstones,
            sum(octet_length(value::text)) AS bytes,
            count(*) FILTER (WHERE value IS NOT NULL AND expires_at IS NULL) AS no_expiry
       FROM ${schema}.hs_kv
      WHERE ${family === undefined ? 'namespace >= $1 AND namespace < $2' : 'namespace = $1'}
      GROUP BY namespace ORDER BY namespace`,
    // ';' sorts right after ':' (the column is COLLATE "C"): the range is the prefix's namespaces.
    family === undefined ? [`${prefix}:`, `${prefix};`] : [`${prefix}:${family}`],
  );
  return rows.map((r) => ({
    family: r.namespace.slice(prefix.length + 1),
    rows: Number(r.rows),
    tombstones: Number(r.tombstones),
    valueBytes: Number(r.bytes ?? 0),
    withoutExpiry: Number(r.no_expiry),
  }));
}
