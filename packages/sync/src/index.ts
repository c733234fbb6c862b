/**
 * @hybridstate/sync: seed 002's real-time sync. Typed events on a bus shared by every
 * instance (Redis pub/sub, or in-process in local-only mode), a local TTL cache invalidated
 * everywhere, and the socket.io `/sync` gateway for admin panels and Mini Apps.
 */

export { LOCAL_CACHE_DEFAULTS, LocalCache, type LocalCacheOptions } from './cache/local-cache.ts';
export { SYNC_ERROR_CODES, SyncError, type SyncErrorCode } from './errors.ts';
export {
  type EventAudience,
  EventCatalog,
  type EventDefinition,
  type EventDefinitions,
  type EventMap,
  type ResolvedEventDefinition,
} from './events/event-catalog.ts';
export {
  isEventName,
  isEventPattern,
  MAX_EVENT_NAME_LENGTH,
  matchesPattern,
} from './events/event-pattern.ts';
export type { SyncEvent } from './events/sync-event.ts';
export { type SyncEventMap, syncEvents } from './events/sync-events.ts';
export { attachSyncGateway, type SyncGateway } from './gateway/attach-sync-gateway.ts';
export {
  adminTokenAuthenticator,
  anyOf,
  type MiniAppAuthenticatorOptions,
  miniAppAuthenticator,
  type SessionLookup,
  type SyncAuthenticator,
  type SyncHandshake,
  sessionAuthenticator,
} from './gateway/authenticator.ts';
export type { FrameAck } from './gateway/socket-session.ts';
export {
  SYNC_GATEWAY_DEFAULTS,
  type SyncGatewayOptions,
} from './gateway/sync-gateway-options.ts';
export type { SyncPrincipal } from './gateway/sync-principal.ts';
export type { EventHandler, EventMeta } from './service/handler-registry.ts';
export { type EventsMatching, SyncService } from './service/sync-service.ts';
export {
  SYNC_SERVICE_DEFAULTS,
  type SyncServiceOptions,
} from './service/sync-service-options.ts';
