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
