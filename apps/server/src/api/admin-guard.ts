import './request-context.ts';
import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AdminAccounts } from '../auth/admin-accounts.ts';
import { PlatformError } from '../platform/platform-errors.ts';
import type { AuditLog } from '../services/audit-log.ts';

/** The admin session cookie. */
export const ADMIN_COOKIE = 'hs_admin';
/** The header a mutation repeats the CSRF token in. */
export const CSRF_HEADER = 'x-csrf-token';

const MUTATIONS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * The admin routes' guard: a live admin session in the cookie (401 UNAUTHENTICATED), on a
 * mutation the session's CSRF token in `x-csrf-token` (403 CSRF_INVALID), and the `admin`
 * role for a mutation or an `adminOnly` route (a viewer gets 403 FORBIDDEN and an audit
 * entry `denied`).
 */
export function adminGuard(admins: AdminAccounts, audit: AuditLog) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const found = await admins.fromSession(request.cookies[ADMIN_COOKIE]);
    if (found === null)
      throw new PlatformError(
        'UNAUTHENTICATED',
        'Sign in first: the admin session is missing or expired.',
      );
    const actor = {
      adminId: found.admin.id,
      email: found.admin.email,
      role: found.admin.role,
      ip: request.ip,
    };
    request.actor = actor;
    request.csrfToken = found.csrfToken;
    const mutation = MUTATIONS.has(request.method);
    if (mutation && !sameToken(request.headers[CSRF_HEADER], found.csrfToken))
      throw new PlatformError(
        'CSRF_INVALID',
        `Send the csrfToken from login or /me in the ${CSRF_HEADER} header.`,
      );
    if (actor.role === 'admin' || (!mutation && !isAdminOnly(request))) return;
    const { action, entity } = describeRoute(
      request.method,
      request.routeOptions.url ?? request.url,
    );
    const entityId = (request.params as { id?: string } | undefined)?.id ?? null;
    await audit.record(audit.sql, actor, { action, entity, entityId, outcome: 'denied' });
    throw new PlatformError(
      'FORBIDDEN',
      'Your role is viewer: it can read but not change anything.',
    );
  };
}

/** A read that mints a credential (route config `adminOnly`) needs the admin role too. */
function isAdminOnly(request: FastifyRequest): boolean {
  return (request.routeOptions.config as { adminOnly?: boolean } | undefined)?.adminOnly === true;
}

function sameToken(header: string | string[] | undefined, expected: string): boolean {
  if (typeof header !== 'string') return false;
  const a = Buffer.from(header);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

const VERBS: Record<string, string> = {
  POST: 'create',
  PUT: 'update',
  PATCH: 'update',
  DELETE: 'delete',
};

/** `POST /api/admin/payouts/:id/approve` -> `payouts.approve` on `payouts`. */
export function describeRoute(method: string, url: string): { action: string; entity: string } {
  const parts = url
    .replace(/^\/api\/admin\//, '')
    .split('/')
    .filter((p) => p !== '');
  const entity = parts[0] ?? 'unknown';
  const last = parts[parts.length - 1];
  const verb =
    parts.length > 1 && last !== undefined && !last.startsWith(':') ? last : VERBS[method];
  return { action: `${entity}.${verb ?? method.toLowerCase()}`, entity };
}
