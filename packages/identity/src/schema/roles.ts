import type { SqlClient } from '@hybridstate/core';
import type { ContextDefinition } from '../contexts/app-context.ts';
import { ident } from './migration.ts';
import { appSchema, identitySchema, type SchemaOptions } from './schema-names.ts';

/** Options of {@link provisionRoles}. */
export interface RoleOptions extends SchemaOptions {
  /** Role names are this prefix plus the context name. @default 'hs_' */
  readonly rolePrefix?: string;
  /** A password per context name; contexts without one get a role without a password. */
  readonly passwords?: Readonly<Record<string, string>>;
}

/** The login role of an application context. */
export function roleName(context: ContextDefinition, options: RoleOptions = {}): string {
  return `${options.rolePrefix ?? 'hs_'}${context.name}`;
}

/**
 * Create (or update) one login role per application context, with rights on its own schema
 * and on identity only. Row-level security on `sessions` and `user_permissions` limits each
 * role to the rows of its context, so even a hand-written query of the web app cannot read
 * an admin session. Run as the owner of the schemas (the migrating user), after migrating.
 */
export async function provisionRoles(
  sql: SqlClient,
  contexts: Iterable<ContextDefinition>,
  options: RoleOptions = {},
): Promise<void> {
  const identity = ident(identitySchema(options));
  await sql.query(`ALTER TABLE ${identity}.sessions ENABLE ROW LEVEL SECURITY`);
  await sql.query(`ALTER TABLE ${identity}.user_permissions ENABLE ROW LEVEL SECURITY`);
  for (const context of contexts) await provisionRole(sql, context, options);
}

async function provisionRole(
  sql: SqlClient,
  context: ContextDefinition,
  options: RoleOptions,
): Promise<void> {
  const name = roleName(context, options);
  const role = ident(name);
  await sql.query(
    `DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ${literal(name)}) THEN CREATE ROLE ${role} LOGIN; END IF; END $$`,
  );
  const password = options.passwords?.[context.name];
  if (password !== undefined) await sql.query(`ALTER ROLE ${role} PASSWORD ${literal(password)}`);
  for (const schema of [identitySchema(options), appSchema(context, options)]) {
    const s = ident(schema);
    await sql.query(`GRANT USAGE ON SCHEMA ${s} TO ${role}`);
    await sql.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${s} TO ${role}`);
    await sql.query(`REVOKE ALL ON ${s}.hs_migrations FROM ${role}`);
  }
  await ownContextPolicies(sql, name, context.name, options);
}

async function ownContextPolicies(
  sql: SqlClient,
  role: string,
  context: string,
  options: RoleOptions,
): Promise<void> {
  const identity = ident(identitySchema(options));
  for (const table of ['sessions', 'user_permissions']) {
    const policy = ident(`${role}_own_context`);
    await sql.query(`DROP POLICY IF EXISTS ${policy} ON ${identity}.${table}`);
    await sql.query(
      `CREATE POLICY ${policy} ON ${identity}.${table} TO ${ident(role)} USING (application_context = ${literal(context)}) WITH CHECK (application_context = ${literal(context)})`,
    );
  }
}

/** A SQL string literal; only for names and passwords checked or given by the operator. */
function literal(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
