import {
  HybridStateError,
  LocalMessageBus,
  type Logger,
  type MessageBus,
  silentLogger,
} from '@hybridstate/core';
import type { LocalCacheOptions } from '../cache/local-cache.ts';
import type { EventCatalog, EventMap } from '../events/event-catalog.ts';
import { syncEvents } from '../events/sync-events.ts';

/** Options of `SyncService`. */
export interface SyncServiceOptions<M extends EventMap> {
  /** The bus events travel on: a `RedisMessageBus`, or a `LocalMessageBus` (local-only mode). @default new LocalMessageBus() */
  readonly bus?: MessageBus;
  /** The events that may be published. @default syncEvents (seed 002) */
  readonly catalog?: EventCatalog<M>;
  /** The bus channel of events. @default 'sync:events' */
  readonly channel?: string;
  /** Largest encoded event data, in bytes. @default 65_536 */
  readonly maxEventBytes?: number;
  /** The local TTL cache (`setCache`/`getCache`/`invalidateCache`). */
  readonly cache?: LocalCacheOptions;
  /** @default silentLogger */
  readonly logger?: Logger;
}

/** Defaults of {@link SyncServiceOptions}. */
export const SYNC_SERVICE_DEFAULTS = {
  channel: 'sync:events',
  maxEventBytes: 65_536,
} as const;

/** Options with every default applied. */
export interface ResolvedSyncServiceOptions<M extends EventMap> {
  readonly bus: MessageBus;
  readonly catalog: EventCatalog<M>;
  readonly channel: string;
  readonly maxEventBytes: number;
  readonly cache: LocalCacheOptions;
  readonly logger: Logger;
}

/** Apply defaults and check the options once, at construction. */
export function resolveSyncServiceOptions<M extends EventMap>(
  options: SyncServiceOptions<M>,
): ResolvedSyncServiceOptions<M> {
  const maxEventBytes = options.maxEventBytes ?? SYNC_SERVICE_DEFAULTS.maxEventBytes;
  if (!Number.isSafeInteger(maxEventBytes) || maxEventBytes <= 0)
    throw new HybridStateError(
      'HS_CONFIG_INVALID',
      `SyncService option maxEventBytes must be a positive whole number, got ${maxEventBytes}.`,
      { context: { option: 'maxEventBytes' } },
    );
  const logger = options.logger ?? silentLogger;
  return Object.freeze({
    bus: options.bus ?? new LocalMessageBus({ logger }),
    catalog: options.catalog ?? (syncEvents as unknown as EventCatalog<M>),
    channel: options.channel ?? SYNC_SERVICE_DEFAULTS.channel,
    maxEventBytes,
    cache: options.cache ?? {},
    logger,
  });
}
