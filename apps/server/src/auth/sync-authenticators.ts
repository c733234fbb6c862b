import { anyOf, miniAppAuthenticator, type SyncAuthenticator, SyncError } from '@hybridstate/sync';
import { ADMIN_COOKIE } from '../api/admin-guard.ts';
import type { AdminAccounts } from './admin-accounts.ts';

/** The value of one cookie in a `Cookie` header. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name)
      return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

/**
 * Admins by their session cookie (`hs_admin`, sent with the socket.io handshake): `null`
 * without the cookie, refused when the session is not a live admin session.
 */
export function adminCookieAuthenticator(admins: AdminAccounts): SyncAuthenticator {
  return async ({ headers }) => {
    const sessionId = cookieValue(headers.cookie, ADMIN_COOKIE);
    if (sessionId === undefined) return null;
    const found = await admins.fromSession(sessionId);
    if (found === null)
      throw new SyncError(
        'HS_SYNC_UNAUTHENTICATED',
        'The admin session is unknown or expired: sign in again.',
      );
    return { kind: 'admin', id: found.admin.email };
  };
}

/**
 * Who may open /sync: a Mini App by `auth.initData` first (a browser that also holds an admin
 * cookie, as in the playground, still gets its user's view), then an admin by cookie.
 */
export function platformSyncAuthenticator(
  admins: AdminAccounts,
  initDataSecret: string,
): SyncAuthenticator {
  return anyOf(
    miniAppAuthenticator({ botToken: initDataSecret }),
    adminCookieAuthenticator(admins),
  );
}
