/**
 * @hybridstate/sync-client: the browser's end of the /sync gateway. Browser-safe: it imports
 * socket.io-client only. React hooks live in `@hybridstate/sync-client/react`.
 */
export { matchesPattern } from './event-pattern.ts';
export type { ConnectedFrame, FrameAck, SyncErrorFrame, SyncEvent } from './frames.ts';
export type { SyncEventHandler } from './subscriptions.ts';
export { SyncClient } from './sync-client.ts';
export {
  SYNC_CLIENT_DEFAULTS,
  type SyncAuth,
  type SyncClientOptions,
} from './sync-client-options.ts';
