import type { SqlClient } from '@hybridstate/core';
import { ident } from './sql-ident.ts';

/** Where the platform's tables are: a SQL client and the quoted schema name. */
export interface PlatformDb {
  readonly sql: SqlClient;
  /** The schema, quoted for SQL (`"platform"`). */
  readonly schema: string;
}

/** A {@link PlatformDb} for `schema` (a plain identifier). */
export function platformDb(sql: SqlClient, schema: string): PlatformDb {
  return { sql, schema: ident(schema) };
}

/** A bigint or numeric column as a JS number (money in minor units stays below 2^53). */
export function toNumber(value: unknown): number {
  return value === null || value === undefined ? 0 : Number(value);
}

/** A timestamp column as ISO-8601, or null. */
export function toIso(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return new Date(value as string | Date).toISOString();
}

/** PGlite may hand back jsonb as text; node-postgres parses it. */
export function toJson(value: unknown): unknown {
  return typeof value === 'string' ? JSON.parse(value) : value;
}

/** The `{ items, total, limit, offset }` page every list answers with. */
export interface Page<T> {
  readonly items: T[];
  readonly total: number;
  readonly limit: number;
  readonly offset: number;
}

/**
 * Run a page query whose text selects `count(*) OVER () AS total` and ends with
 * `LIMIT $n OFFSET $n+1` (`params` are the ones before them). A page past the end has no row
 * to carry the total, so the first row is fetched for it.
 */
export async function queryPage<R extends object>(
  sql: SqlClient,
  text: string,
  params: readonly unknown[],
  page: { limit: number; offset: number },
): Promise<{ rows: R[]; total: number }> {
  const rows = await sql.query<R & { total?: unknown }>(text, [...params, page.limit, page.offset]);
  const carrier =
    rows[0] ??
    (page.offset > 0
      ? (await sql.query<R & { total?: unknown }>(text, [...params, 1, 0]))[0]
      : undefined);
  return { rows, total: carrier?.total === undefined ? 0 : Number(carrier.total) };
}
