import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { type InitData, verifyInitData } from '@hybridstate/telegram';
import { SyncError } from '../errors.ts';
import type { SyncPrincipal } from './sync-principal.ts';

/** What a client presented when it opened /sync. */
export interface SyncHandshake {
  /** socket.io's `auth` object: `{ token }`, `{ session }` or `{ initData }` for the built-ins. */
  readonly auth: Readonly<Record<string, unknown>>;
  readonly headers: IncomingHttpHeaders;
  readonly address: string;
}

/**
 * The authentication port of the gateway: turn a handshake into a principal; `null` when the
 * handshake carries no credential of this kind (the next authenticator is tried); throw when
 * it carries a bad one (forged, expired, revoked).
 */
export type SyncAuthenticator = (
  handshake: SyncHandshake,
) => SyncPrincipal | null | Promise<SyncPrincipal | null>;

/**
 * Try authenticators in order; the first principal wins; none → `HS_SYNC_UNAUTHENTICATED`.
 *
 * @example
 * ```ts
 * authenticate: anyOf(adminTokenAuthenticator([adminToken]), miniAppAuthenticator({ botToken }))
 * ```
 */
export function anyOf(...authenticators: SyncAuthenticator[]): SyncAuthenticator {
  return async (handshake) => {
    for (const authenticate of authenticators) {
      const principal = await authenticate(handshake);
      if (principal !== null) return principal;
    }
    throw new SyncError(
      'HS_SYNC_UNAUTHENTICATED',
      'No credential: connect with auth { token }, { session } or { initData }.',
    );
  };
}

/**
 * Admins by static token (`auth.token`), compared in constant time. For service dashboards
 * and the reference platform before identity sessions exist.
 */
export function adminTokenAuthenticator(
  tokens: readonly string[],
  id = 'token',
): SyncAuthenticator {
  const expected = tokens.filter((t) => t.length > 0).map((t) => Buffer.from(t));
  return ({ auth }) => {
    if (auth.token === undefined) return null;
    const given = Buffer.from(String(auth.token));
    if (expected.some((t) => t.length === given.length && timingSafeEqual(t, given)))
      return { kind: 'admin', id };
    throw new SyncError('HS_SYNC_UNAUTHENTICATED', 'The admin token is wrong.');
  };
}

/** What a session lookup returns: the admin (or user) behind a session id, or `null`. */
export type SessionLookup = (sessionId: string) => Promise<SyncPrincipal | null>;

/**
 * Sessions by id (`auth.session`), resolved by a callback: how `@hybridstate/identity` (or
 * any session store) plugs in. An unknown or expired session is refused.
 */
export function sessionAuthenticator(lookup: SessionLookup): SyncAuthenticator {
  return async ({ auth }) => {
    if (auth.session === undefined) return null;
    if (typeof auth.session !== 'string' || auth.session.length === 0 || auth.session.length > 512)
      throw new SyncError('HS_SYNC_UNAUTHENTICATED', 'The session id is malformed.');
    const principal = await lookup(auth.session);
    if (
      principal === null ||
      (principal.expiresAt !== undefined && principal.expiresAt <= Date.now())
    )
      throw new SyncError(
        'HS_SYNC_UNAUTHENTICATED',
        'The session is unknown or expired: sign in again.',
      );
    return principal;
  };
}

/** Options of {@link miniAppAuthenticator}. */
export interface MiniAppAuthenticatorOptions {
  /** The bot's token: initData is signed with it. */
  readonly botToken: string;
  /** Oldest accepted `auth_date`, in ms; the socket is closed when it is reached. @default 86_400_000 */
  readonly maxAgeMs?: number;
}

/**
 * Telegram Mini App users by `auth.initData` (the raw `Telegram.WebApp.initData`), verified
 * with the bot token. The principal is the Telegram user; it expires `maxAgeMs` after
 * `auth_date`, and the gateway disconnects it then.
 */
export function miniAppAuthenticator(options: MiniAppAuthenticatorOptions): SyncAuthenticator {
  const maxAgeMs = options.maxAgeMs ?? 86_400_000;
  return ({ auth }) => {
    if (auth.initData === undefined) return null;
    let data: InitData;
    try {
      data = verifyInitData(String(auth.initData), options.botToken, { maxAgeMs });
    } catch (error) {
      throw new SyncError('HS_SYNC_UNAUTHENTICATED', (error as Error).message, {}, error);
    }
    if (data.user === undefined)
      throw new SyncError('HS_SYNC_UNAUTHENTICATED', 'The initData names no user.');
    return {
      kind: 'user',
      userId: String(data.user.id),
      expiresAt: data.authDate.getTime() + maxAgeMs,
    };
  };
}
