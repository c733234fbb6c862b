import type { SqlClient } from '@hybridstate/core';
import { applyMigrations, migrateIdentity } from '@hybridstate/identity';
import { platformMigrations } from './platform-schema.ts';

/**
 * Create or upgrade everything the platform stores: the identity schemas (admin accounts and
 * sessions) and the platform's own domain schema. Idempotent; safe from several instances.
 */
export async function migratePlatform(
  sql: SqlClient,
  options: { schema: string; identitySchemaPrefix: string },
): Promise<void> {
  await migrateIdentity({ sql, schemaPrefix: options.identitySchemaPrefix });
  await applyMigrations(sql, options.schema, platformMigrations(options.schema));
}
