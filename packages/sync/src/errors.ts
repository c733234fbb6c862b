import { HybridStateError } from '@hybridstate/core';

/**
 * Stable codes of @hybridstate/sync errors, with when each is thrown. The gateway sends the
 * same codes to clients in `sync:error` frames and handshake refusals.
 */
export const SYNC_ERROR_CODES = {
  HS_SYNC_UNKNOWN_EVENT:
    'An event name is not in the catalog (publish, subscribe), or is not a valid name.',
  HS_SYNC_INVALID_PAYLOAD: "An event's data does not match its schema in the catalog.",
  HS_SYNC_EVENT_TOO_LARGE: "An event's encoded data is larger than maxEventBytes.",
  HS_SYNC_INVALID_PATTERN: 'A subscription pattern is not a name, "domain.*" or "*".',
  HS_SYNC_CATALOG_INVALID: 'An event definition is malformed or defines a name twice.',
  HS_SYNC_UNAUTHENTICATED:
    'A /sync connection carried no credential, or a forged, expired or revoked one.',
  HS_SYNC_BAD_FRAME: 'A client frame is malformed or of an unknown kind.',
  HS_SYNC_TOO_MANY_SUBSCRIPTIONS: 'A socket asked for more subscriptions than maxSubscriptions.',
  HS_SYNC_RATE_LIMITED: 'A socket sent frames faster than the rate limit allows.',
  HS_SYNC_CLOSED: 'The sync service was used after close().',
} as const;

/** A stable @hybridstate/sync error code. */
export type SyncErrorCode = keyof typeof SYNC_ERROR_CODES;

const NAMES: Record<SyncErrorCode, string> = {
  HS_SYNC_UNKNOWN_EVENT: 'UnknownEventError',
  HS_SYNC_INVALID_PAYLOAD: 'EventPayloadError',
  HS_SYNC_EVENT_TOO_LARGE: 'EventTooLargeError',
  HS_SYNC_INVALID_PATTERN: 'EventPatternError',
  HS_SYNC_CATALOG_INVALID: 'EventCatalogError',
  HS_SYNC_UNAUTHENTICATED: 'SyncAuthenticationError',
  HS_SYNC_BAD_FRAME: 'SyncFrameError',
  HS_SYNC_TOO_MANY_SUBSCRIPTIONS: 'SubscriptionLimitError',
  HS_SYNC_RATE_LIMITED: 'SyncRateLimitError',
  HS_SYNC_CLOSED: 'SyncClosedError',
};

/** Errors of @hybridstate/sync: a {@link HybridStateError} with a sync code. */
export class SyncError extends HybridStateError<SyncErrorCode> {
  constructor(
    code: SyncErrorCode,
    message: string,
    context: Record<string, unknown> = {},
    cause?: unknown,
  ) {
    super(code, message, { context, name: NAMES[code], ...(cause === undefined ? {} : { cause }) });
  }
}

/** Every error name, for the test that checks the registry is complete. */
export const SYNC_ERROR_NAMES: Readonly<Record<SyncErrorCode, string>> = NAMES;
