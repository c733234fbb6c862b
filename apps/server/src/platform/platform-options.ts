import type {
  Keyspace,
  Logger,
  MessageBus,
  RedisClient,
  SqlClient,
  TieredStore,
} from '@hybridstate/core';
import type { UserFromGetMe } from 'grammy/types';
import { DEFAULT_PLATFORM_SCHEMA } from './platform-schema.ts';
import type { ReadCacheOptions } from './read-cache.ts';

/** Options of `createPlatform`. */
export interface PlatformOptions {
  /** The database (share the store's: PGlite has one connection). */
  readonly sql: SqlClient;
  /** The tiered store the bot's sessions live in. */
  readonly store: TieredStore;
  readonly keyspace: Keyspace;
  /** Redis, when configured: the identity copies use it. */
  readonly redis?: RedisClient | undefined;
  /** The bus of sync events and cache invalidation. */
  readonly bus: MessageBus;
  /** Schema of the domain tables. @default 'platform' */
  readonly schema?: string;
  /** Prefix of the identity schemas (`<prefix>identity`, `<prefix>admin`...). @default '' */
  readonly identitySchemaPrefix?: string;
  /** The bot token; without one the bot serves the playground only. */
  readonly botToken?: string | undefined;
  /** The Bot API root (a self-hosted Bot API server, an emulator). @default Telegram's */
  readonly telegramApiRoot?: string | undefined;
  /** The bot's identity, to skip `getMe` (tests; set automatically without a token). */
  readonly botInfo?: UserFromGetMe | undefined;
  /** Signs and checks playground initData when there is no bot token. @default random per process */
  readonly playgroundSecret?: string | undefined;
  /** The public origin, for the Mini App's address in the bot. @default 'http://localhost:3000' */
  readonly publicUrl?: string;
  /** The API's in-process read cache (dropped by sync events). */
  readonly readCache?: ReadCacheOptions;
  readonly logger: Logger;
}

/** Defaults of {@link PlatformOptions}. */
export const PLATFORM_DEFAULTS = {
  schema: DEFAULT_PLATFORM_SCHEMA,
  identitySchemaPrefix: '',
  publicUrl: 'http://localhost:3000',
} as const;

/** The identity of the stand-in bot that serves the playground without a token. */
export const PLAYGROUND_BOT_INFO = {
  id: 1,
  is_bot: true,
  first_name: 'Playground Bot',
  username: 'hybridstate_playground_bot',
  can_join_groups: false,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
  has_topics_enabled: false,
  allows_users_to_create_topics: false,
} as UserFromGetMe;
