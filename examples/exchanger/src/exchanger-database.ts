import type { SqlClient } from '@hybridstate/core';
import {
  appSchema,
  type ContextDefinition,
  DEFAULT_CONTEXTS,
  identitySchema,
  migrateIdentity,
  provisionRoles,
  roleName,
} from '@hybridstate/identity';
import { quoted } from './credentials.ts';

/** Where the exchanger's tables and roles live. */
export interface ExchangerDatabaseOptions {
  /** Before every schema name: `exchanger_` gives seed 001's `exchanger_identity`, `exchanger_web`... @default 'exchanger_' */
  readonly schemaPrefix?: string;
  /** Before every role name: `exchanger_` gives roles `exchanger_web`, `exchanger_admin`, `exchanger_telegram`. @default 'exchanger_' */
  readonly rolePrefix?: string;
}

/** Defaults of {@link ExchangerDatabaseOptions}. */
export const EXCHANGER_DATABASE_DEFAULTS = {
  schemaPrefix: 'exchanger_',
  rolePrefix: 'exchanger_',
} as const;

/** The three applications, by the name of their identity context. */
export const APP_CONTEXTS = ['web', 'admin', 'telegram'] as const;
/** An application of the exchanger. */
export type AppContext = (typeof APP_CONTEXTS)[number];

/** Quoted schema names of identity and the three applications. */
export interface ExchangerSchemas {
  readonly identity: string;
  readonly web: string;
  readonly admin: string;
  readonly bot: string;
}

/** The quoted schema names for a prefix. */
export function exchangerSchemas(
  schemaPrefix: string = EXCHANGER_DATABASE_DEFAULTS.schemaPrefix,
): ExchangerSchemas {
  const schema = (name: AppContext) => quoted(appSchema(contextDefinition(name), { schemaPrefix }));
  return {
    identity: quoted(identitySchema({ schemaPrefix })),
    web: schema('web'),
    admin: schema('admin'),
    bot: schema('telegram'),
  };
}

/** The login role of an application. */
export function exchangerRole(context: AppContext, options: ExchangerDatabaseOptions = {}): string {
  return roleName(contextDefinition(context), {
    rolePrefix: options.rolePrefix ?? EXCHANGER_DATABASE_DEFAULTS.rolePrefix,
  });
}

/**
 * As the database owner: migrate identity and the three application schemas, then give each
 * application a login role with rights on identity and its own schema only, and row-level
 * security on sessions and permissions (seed 001's migration plan, steps 1 and 3). Roles are
 * skipped on embedded PGlite, which has a single connection.
 */
export async function prepareExchangerDatabase(
  owner: SqlClient,
  options: ExchangerDatabaseOptions & {
    readonly passwords?: Partial<Record<AppContext, string>>;
  } = {},
): Promise<void> {
  const schemaPrefix = options.schemaPrefix ?? EXCHANGER_DATABASE_DEFAULTS.schemaPrefix;
  await migrateIdentity({ sql: owner, schemaPrefix });
  if (owner.dialect === 'pglite') return;
  await provisionRoles(owner, DEFAULT_CONTEXTS, {
    schemaPrefix,
    rolePrefix: options.rolePrefix ?? EXCHANGER_DATABASE_DEFAULTS.rolePrefix,
    ...(options.passwords === undefined ? {} : { passwords: stripUndefined(options.passwords) }),
  });
}

/** The owner's URL with an application's role (and its password, if any) in place of the owner. */
export function roleUrl(
  ownerUrl: string,
  context: AppContext,
  options: ExchangerDatabaseOptions & { password?: string } = {},
): string {
  const url = new URL(ownerUrl);
  url.username = exchangerRole(context, options);
  url.password = options.password ?? '';
  return url.href;
}

function contextDefinition(name: AppContext): ContextDefinition {
  return DEFAULT_CONTEXTS.find((c) => c.name === name)!;
}

function stripUndefined(passwords: Partial<Record<AppContext, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(passwords).filter(([, v]) => v !== undefined)) as Record<
    string,
    string
  >;
}
