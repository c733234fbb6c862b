import { hsError } from '../errors.ts';
import type { SqlClient } from '../sql/sql-client.ts';

/** One versioned schema step. Never edit a released step: add a new one. */
interface Migration {
  readonly version: number;
  readonly name: string;
  readonly statements: (schema: string) => string[];
}

const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'key-value table, expiry index, stale-cache marks',
    statements: (s) => [
      `CREATE TABLE IF NOT EXISTS ${s}.hs_kv (
        namespace text COLLATE "C" NOT NULL,
        key text COLLATE "C" NOT NULL,
        value jsonb,
        version bigint NOT NULL,
        expires_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (namespace, key)
      )`,
      `COMMENT ON TABLE ${s}.hs_kv IS 'hybridstate key-value tier; value NULL is a tombstone kept until expires_at'`,
      `CREATE INDEX IF NOT EXISTS hs_kv_expires_at ON ${s}.hs_kv (expires_at) WHERE expires_at IS NOT NULL`,
      `CREATE TABLE IF NOT EXISTS ${s}.hs_kv_dirty (
        namespace text COLLATE "C" NOT NULL,
        key text COLLATE "C" NOT NULL,
        version bigint NOT NULL,
        marked_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (namespace, key)
      )`,
      `COMMENT ON TABLE ${s}.hs_kv_dirty IS 'keys written while Redis was unreachable: their Redis copies are stale until purged'`,
    ],
  },
];

/** The newest schema version this build knows. */
export const SCHEMA_VERSION = MIGRATIONS.at(-1)!.version;

/**
 * Apply pending migrations in one transaction, under an advisory lock so that several
 * instances starting at once apply each step exactly once.
 */
export async function migrate(sql: SqlClient, schema: string): Promise<number[]> {
  try {
    return await sql.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
        `hybridstate:migrate:${schema}`,
      ]);
      await tx.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      await tx.query(
        `CREATE TABLE IF NOT EXISTS ${schema}.hs_migrations (version int PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
      );
      const rows = await tx.query<{ version: number }>(
        `SELECT version FROM ${schema}.hs_migrations`,
      );
      const done = new Set(rows.map((r) => Number(r.version)));
      const pending = MIGRATIONS.filter((m) => !done.has(m.version));
      for (const migration of pending) {
        for (const statement of migration.statements(schema)) await tx.query(statement);
        await tx.query(`INSERT INTO ${schema}.hs_migrations (version, name) VALUES ($1, $2)`, [
          migration.version,
          migration.name,
        ]);
      }
      return pending.map((m) => m.version);
    });
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    throw hsError(
      'HS_MIGRATION_FAILED',
      `Could not migrate schema ${schema}: ${message}. Check that the database user may CREATE in this database.`,
      { schema },
      cause,
    );
  }
}
