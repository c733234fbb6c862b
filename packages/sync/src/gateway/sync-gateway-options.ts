import type { RedisClient } from '@hybridstate/core';
import { HybridStateError, type Logger, silentLogger } from '@hybridstate/core';
import type { ServerOptions } from 'socket.io';
import type { SyncService } from '../service/sync-service.ts';
import type { SyncAuthenticator } from './authenticator.ts';

/** Options of `attachSyncGateway`. */
export interface SyncGatewayOptions {
  /** Where events come from (every instance's events, through its bus). */
  // biome-ignore lint/suspicious/noExplicitAny: any catalog
  readonly service: SyncService<any>;
  /** Who may connect (see `anyOf`, `adminTokenAuthenticator`, `miniAppAuthenticator`). */
  readonly authenticate: SyncAuthenticator;
  /**
   * Shares sockets across instances with `@socket.io/redis-adapter` (disconnecting a user
   * everywhere, `fetchSockets`); the gateway opens two `duplicate()`s of it. Without it,
   * socket operations stay on this instance (events still reach every instance's sockets
   * through the service's bus).
   */
  readonly redis?: RedisClient;
  /** Prefix of the adapter's Redis channels: instances that share sockets share it. @default 'hs:sio' */
  readonly adapterKey?: string;
  /** @default '/sync' */
  readonly path?: string;
  /** CORS for browsers on another origin (socket.io's option). @default none */
  readonly cors?: ServerOptions['cors'];
  /** Heartbeat period. @default 10_000 */
  readonly pingIntervalMs?: number;
  /** A socket that does not answer a ping within this is closed. @default 5_000 */
  readonly pingTimeoutMs?: number;
  /** Largest frame a client may send; bigger ones close the connection. @default 65_536 */
  readonly maxFrameBytes?: number;
  /** Subscription patterns one socket may hold. @default 100 */
  readonly maxSubscriptions?: number;
  /** Frames a socket may send at once. @default 20 */
  readonly frameBurst?: number;
  /** Frames a socket may send per second, sustained. @default 5 */
  readonly framesPerSecond?: number;
  /** Refused frames (malformed, rate-limited, over the cap) before the socket is closed. @default 10 */
  readonly maxViolations?: number;
  /** Longest an authenticator may take. @default 5_000 */
  readonly authTimeoutMs?: number;
  /** @default silentLogger */
  readonly logger?: Logger;
}

/** Defaults of {@link SyncGatewayOptions}. */
export const SYNC_GATEWAY_DEFAULTS = {
  path: '/sync',
  adapterKey: 'hs:sio',
  pingIntervalMs: 10_000,
  pingTimeoutMs: 5_000,
  maxFrameBytes: 65_536,
  maxSubscriptions: 100,
  frameBurst: 20,
  framesPerSecond: 5,
  maxViolations: 10,
  authTimeoutMs: 5_000,
} as const;

/** Options with every default applied. */
export type ResolvedSyncGatewayOptions = Omit<Required<SyncGatewayOptions>, 'redis' | 'cors'> &
  Pick<SyncGatewayOptions, 'redis' | 'cors'>;

const NUMBERS = [
  'pingIntervalMs',
  'pingTimeoutMs',
  'maxFrameBytes',
  'maxSubscriptions',
  'frameBurst',
  'framesPerSecond',
  'maxViolations',
  'authTimeoutMs',
] as const;

/** Apply defaults and check the options once. */
export function resolveSyncGatewayOptions(
  options: SyncGatewayOptions,
): Readonly<ResolvedSyncGatewayOptions> {
  const resolved = { ...SYNC_GATEWAY_DEFAULTS, logger: silentLogger } as ResolvedSyncGatewayOptions;
  for (const [name, value] of Object.entries(options))
    if (value !== undefined) Object.assign(resolved, { [name]: value });
  for (const name of NUMBERS) {
    const value = resolved[name];
    if (!Number.isSafeInteger(value) || value <= 0)
      throw new HybridStateError(
        'HS_CONFIG_INVALID',
        `Gateway option ${name} must be a positive whole number, got ${value}.`,
        { context: { option: name } },
      );
  }
  return Object.freeze(resolved);
}
