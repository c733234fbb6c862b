/**
 * The /sync wire protocol as the browser sees it. Kept here rather than imported from
 * @hybridstate/sync, which is server code.
 */

/** One event: a hint that something changed; refetch to see it. */
export interface SyncEvent<D = unknown> {
  readonly type: string;
  readonly data: D;
  readonly id: string;
  readonly ts: number;
}

/** Sent by the server once per (re)connection. */
export interface ConnectedFrame {
  readonly socketId: string;
  readonly principal:
    | { readonly kind: 'admin'; readonly id: string }
    | { readonly kind: 'user'; readonly userId: string };
  readonly heartbeat: { readonly pingIntervalMs: number; readonly pingTimeoutMs: number };
  readonly serverTime: number;
}

/** A refused frame, a refused handshake, or a closed session. */
export interface SyncErrorFrame {
  /** A stable code such as `HS_SYNC_UNAUTHENTICATED`, `HS_SYNC_UNKNOWN_EVENT`, `HS_SYNC_RATE_LIMITED`. */
  readonly code: string;
  readonly message: string;
}

/** The server's answer to `subscribe` / `unsubscribe`. */
export type FrameAck =
  | { readonly ok: true; readonly events: readonly string[] }
  | { readonly ok: false; readonly error: SyncErrorFrame };
