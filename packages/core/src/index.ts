/**
 * @hybridstate/core: the tiered Redis + PostgreSQL + memory store, its keyspace registry,
 * codec, configuration discovery and health.
 */

export { PublishRoute } from './bus/cluster-pubsub.ts';
export { LocalMessageBus, type LocalMessageBusOptions } from './bus/local-message-bus.ts';
export type { BusListener, MessageBus } from './bus/message-bus.ts';
export {
  REDIS_MESSAGE_BUS_DEFAULTS,
  RedisMessageBus,
  type RedisMessageBusOptions,
} from './bus/redis-message-bus.ts';
export { decodeValue, encodeValue } from './codec/codec.ts';
export type { Env } from './config/env-url.ts';
export { describeConfig, type HybridStateConfig, loadConfig } from './config/load-config.ts';
export {
  DEFAULT_PGLITE_DIR,
  loadPostgresConfig,
  POSTGRES_VARIABLES,
  type PostgresConfig,
  type PostgresSource,
} from './config/postgres-config.ts';
export {
  loadRedisConfig,
  REDIS_VARIABLES,
  type RedisConfig,
  type RedisNode,
  type RedisSource,
} from './config/redis-config.ts';
export {
  CLUSTER_REPLICA_ACKS,
  type OpenedStore,
  type OpenStoreOptions,
  openStore,
} from './connect/open-store.ts';
export { type OpenSql, openPostgres, POSTGRES_POOL_DEFAULTS } from './connect/postgres-client.ts';
export {
  connectRedis,
  createRedisClient,
  createRedisClusterClient,
  REDIS_CLIENT_DEFAULTS,
  REDIS_CLUSTER_DEFAULTS,
} from './connect/redis-client.ts';
export { ERROR_CODES, type ErrorCode, HybridStateError, isHybridStateError } from './errors.ts';
export {
  DEFAULT_CACHE_TTL_MS,
  type Durability,
  Family,
  type FamilyDefinition,
  type KeyRef,
} from './keyspace/family.ts';
export { type KeyPart, MAX_KEY_PART_BYTES } from './keyspace/key-part.ts';
export { KEYSPACE_DEFAULTS, Keyspace, type KeyspaceOptions } from './keyspace/keyspace.ts';
export type { KeyParams, TemplateParams } from './keyspace/template.ts';
export type { ValueSchema } from './keyspace/value-schema.ts';
export { type KeyvFamily, KeyvTieredStore } from './keyv/keyv-store.ts';
export { type Logger, silentLogger } from './logger.ts';
export type {
  CircuitChangeEvent,
  ObservedTier,
  StoreObserver,
  TierCallEvent,
  TierLookupEvent,
} from './observe/store-observer.ts';
export {
  CircuitBreaker,
  type CircuitBreakerOptions,
  type CircuitState,
} from './resilience/circuit-breaker.ts';
export { KeyedMutex } from './resilience/keyed-mutex.ts';
export { pgSqlClient } from './sql/pg-sql-client.ts';
export { pgliteSqlClient } from './sql/pglite-sql-client.ts';
export type { SqlClient } from './sql/sql-client.ts';
export { KeyLocker } from './store/key-locker.ts';
export { LOCK_DEFAULTS, type LockOptions } from './store/lock-options.ts';
export { type LockedChange, LockedEntries } from './store/locked-entries.ts';
export type { MaintenanceStatus } from './store/maintenance.ts';
export type { StoreHealth, TierHealth } from './store/store-health.ts';
export {
  type ReplicaAcks,
  STORE_DEFAULTS,
  type TieredStoreOptions,
} from './store/store-options.ts';
export {
  createTieredStore,
  type SetItem,
  TieredStore,
  type ValueOf,
  type WriteOptions,
} from './store/tiered-store.ts';
export { MEMORY_TIER_DEFAULTS, MemoryTier, type MemoryTierOptions } from './tiers/memory-tier.ts';
export { SCHEMA_VERSION } from './tiers/postgres-migrations.ts';
export {
  POSTGRES_TIER_DEFAULTS,
  PostgresTier,
  type PostgresTierOptions,
} from './tiers/postgres-tier.ts';
export { type RedisClient, RedisTier } from './tiers/redis-tier.ts';
export { masterAddressOf, waitForReplicas } from './tiers/replica-wait.ts';
export type {
  CacheLookup,
  CacheTier,
  StoredEntry,
  Tier,
  TierKind,
  TierWrite,
  WriteOutcome,
} from './tiers/tier.ts';
export {
  FLUSHER_GROUP,
  type JournalKeys,
  journalKeys,
  journalKeysOf,
  shardTag,
} from './write-behind/journal-keys.ts';
export { type JournalEntry, RedisJournal } from './write-behind/redis-journal.ts';
export { WriteBehindFlusher } from './write-behind/write-behind-flusher.ts';
export {
  flushDeadline,
  WRITE_BEHIND_DEFAULTS,
  type WriteBehindOptions,
} from './write-behind/write-behind-options.ts';
export type { WriteBehindStatus } from './write-behind/write-behind-stats.ts';
