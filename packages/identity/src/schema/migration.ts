import type { SqlClient } from '@hybridstate/core';

/** One versioned schema change. Versions of a schema start at 1 and never change meaning. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  /** The statements, run in one transaction (`;`-separated is fine). */
  readonly sql: string;
}

/** Quote an identifier (schema, table, role) for SQL. */
export function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * Apply the migrations of `schema` that are not applied yet, in version order, each in its
 * own transaction, recording them in `<schema>.hs_migrations`. Safe to run from several
 * instances at once: a transaction-scoped advisory lock per schema serializes them.
 * Returns the versions applied by this call.
 */
export async function applyMigrations(
  sql: SqlClient,
  schema: string,
  migrations: readonly Migration[],
): Promise<number[]> {
  const applied: number[] = [];
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    const ran = await sql.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`hs_migrate:${schema}`]);
      await tx.query(`CREATE SCHEMA IF NOT EXISTS ${ident(schema)}`);
      await tx.query(
        `CREATE TABLE IF NOT EXISTS ${ident(schema)}.hs_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
      );
      const done = await tx.query(
        `SELECT 1 FROM ${ident(schema)}.hs_migrations WHERE version = $1`,
        [migration.version],
      );
      if (done.length > 0) return false;
      await runStatements(tx, migration.sql);
      await tx.query(`INSERT INTO ${ident(schema)}.hs_migrations (version, name) VALUES ($1, $2)`, [
        migration.version,
        migration.name,
      ]);
      return true;
    });
    if (ran) applied.push(migration.version);
  }
  return applied;
}

/** node-postgres runs several statements in one unparameterized query; PGlite needs them one by one. */
async function runStatements(tx: SqlClient, text: string): Promise<void> {
  for (const statement of text.split(/;\s*\n/)) {
    if (statement.trim() !== '') await tx.query(statement);
  }
}
