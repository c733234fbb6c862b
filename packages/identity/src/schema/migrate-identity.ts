import type { SqlClient } from '@hybridstate/core';
import { type ContextDefinition, resolveContexts } from '../contexts/app-context.ts';
import { BUILT_IN_APP_MIGRATIONS } from './app-schemas.ts';
import { identityMigrations } from './identity-schema.ts';
import { applyMigrations } from './migration.ts';
import { appSchema, identitySchema, type SchemaOptions } from './schema-names.ts';

/** Options of {@link migrateIdentity}. */
export interface MigrateIdentityOptions extends SchemaOptions {
  /** The database of the identity schema (and of every application without its own). */
  readonly sql: SqlClient;
  /**
   * Separate databases per application, as seed 001's plan has them: context name -> client.
   * @default every application schema in `sql`'s database
   */
  readonly appDatabases?: Readonly<Record<string, SqlClient>>;
  /** @default DEFAULT_CONTEXTS (web, admin, telegram) */
  readonly contexts?: readonly ContextDefinition[];
}

/** What {@link migrateIdentity} applied: schema name -> versions applied now. */
export type MigrationReport = Record<string, number[]>;

/**
 * Create or upgrade the identity schema and every application's schema (versioned,
 * idempotent, safe to run from several instances at once).
 *
 * @example
 * ```ts
 * await migrateIdentity({ sql: pgSqlClient(pool) });
 * ```
 */
export async function migrateIdentity(options: MigrateIdentityOptions): Promise<MigrationReport> {
  const report: MigrationReport = {};
  const identity = identitySchema(options);
  report[identity] = await applyMigrations(options.sql, identity, identityMigrations(identity));
  for (const context of resolveContexts(options.contexts).values()) {
    const schema = appSchema(context, options);
    const migrations = context.migrations ?? BUILT_IN_APP_MIGRATIONS[context.name];
    if (migrations === undefined) continue;
    const sql = options.appDatabases?.[context.name] ?? options.sql;
    report[schema] = await applyMigrations(sql, schema, migrations(schema));
  }
  return report;
}
