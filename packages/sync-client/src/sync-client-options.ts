/** The credential sent at each (re)connection: `{ token }`, `{ session }` or `{ initData }`. */
export type SyncAuth = Record<string, unknown>;

/** Options of `SyncClient`. */
export interface SyncClientOptions {
  /** The server's origin, e.g. `https://api.example.com`; `''` for the page's own origin. */
  readonly url: string;
  /** @default '/sync' */
  readonly path?: string;
  /**
   * The credential, or a function that returns a fresh one before every connection attempt
   * (so a reconnect after expiry presents new initData or a renewed session).
   */
  readonly auth?: SyncAuth | (() => SyncAuth | Promise<SyncAuth>);
  /** First reconnect delay; it doubles up to `reconnectDelayMaxMs`, with ±50% jitter. @default 500 */
  readonly reconnectDelayMs?: number;
  /** @default 10_000 */
  readonly reconnectDelayMaxMs?: number;
  /** socket.io transports, in order. @default ['websocket', 'polling'] */
  readonly transports?: readonly ('websocket' | 'polling' | 'webtransport')[];
  /** Connect at construction. @default true */
  readonly autoConnect?: boolean;
  /** Where handler errors go. @default globalThis.reportError (the browser console) */
  readonly onError?: (error: unknown) => void;
}

/** Defaults of {@link SyncClientOptions}. */
export const SYNC_CLIENT_DEFAULTS = {
  path: '/sync',
  reconnectDelayMs: 500,
  reconnectDelayMaxMs: 10_000,
  transports: ['websocket', 'polling'],
  autoConnect: true,
} as const;
