/**
 * @hybridstate/identity: application contexts that cannot read each other (seed 001):
 * identity sessions, the user cache and per-application caches, bound to one context per
 * stack, over PostgreSQL (truth) and Redis (copies).
 */

export { ApplicationCache } from './cache/application-cache.ts';
export {
  APPLICATION_CACHE_DEFAULTS,
  type ApplicationCacheOptions,
  type CacheWriteOptions,
} from './cache/cache-options.ts';
export {
  type CacheDefinition,
  type ContextDefinition,
  DEFAULT_CONTEXTS,
  resolveContexts,
} from './contexts/app-context.ts';
export { SESSION_TTL_MS, USER_CACHE_TTL_MS } from './contexts/identity-families.ts';
export { IDENTITY_ERROR_CODES, IdentityError, type IdentityErrorCode } from './errors.ts';
export { adminMigrations, botMigrations, webMigrations } from './schema/app-schemas.ts';
export { identityMigrations } from './schema/identity-schema.ts';
export {
  type MigrateIdentityOptions,
  type MigrationReport,
  migrateIdentity,
} from './schema/migrate-identity.ts';
export { applyMigrations, type Migration } from './schema/migration.ts';
export { provisionRoles, type RoleOptions, roleName } from './schema/roles.ts';
export { appSchema, identitySchema, type SchemaOptions } from './schema/schema-names.ts';
export type { IssuedSession, Session } from './sessions/session.ts';
export { SESSION_ID_BYTES } from './sessions/session-id.ts';
export {
  SESSION_STORAGE_DEFAULTS,
  SessionStorage,
  type SessionStorageOptions,
} from './sessions/session-storage.ts';
export { type AppStack, type AppStackOptions, createAppStack } from './stack/app-stack.ts';
export type { CachedUser, UserCacheOptions, UserChanges } from './users/user-cache.ts';
export { UserCache } from './users/user-cache.ts';
