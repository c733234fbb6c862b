import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { LoginThrottle } from '../auth/login-throttle.ts';
import type { Platform } from '../platform/platform.ts';
import { isPlatformError } from '../platform/platform-errors.ts';
import { validate } from '../platform/validate.ts';
import { ADMIN_COOKIE, adminGuard } from './admin-guard.ts';
import { actorOf } from './request-context.ts';

const loginBody = z.object({
  email: z
    .string()
    .trim()
    .max(255)
    .regex(/^[^\s@]+@[^\s@]+$/, 'an email address such as admin@localhost'),
  password: z.string().min(1).max(1024),
});

/** `POST /api/admin/login`, `POST /api/admin/logout`, `GET /api/admin/me`. */
export function adminAuthRoutes(
  app: FastifyInstance,
  platform: Platform,
  secureCookie: boolean,
): void {
  const cookie = { httpOnly: true, sameSite: 'strict', path: '/', secure: secureCookie } as const;
  const throttle = new LoginThrottle(platform.audit);
  app.post('/api/admin/login', async (request, reply) => {
    const { email, password } = validate(loginBody, request.body, 'login');
    await throttle.check(email.toLowerCase(), request.ip).catch((error: unknown) => {
      if (isPlatformError(error, 'RATE_LIMITED')) {
        const { retryAfterS } = error.details as { retryAfterS: number };
        reply.header('retry-after', String(retryAfterS));
      }
      throw error;
    });
    const login = await platform.admins.login(email, password).catch(async (error: unknown) => {
      if (isPlatformError(error, 'INVALID_CREDENTIALS'))
        await platform.audit.record(
          platform.audit.sql,
          { adminId: '', email: email.toLowerCase(), role: 'viewer', ip: request.ip },
          { action: 'admin.login', entity: 'admin', outcome: 'denied' },
        );
      throw error;
    });
    reply.setCookie(ADMIN_COOKIE, login.sessionId, cookie);
    return { admin: login.admin, csrfToken: login.csrfToken };
  });
  app.post('/api/admin/logout', async (request, reply) => {
    await platform.admins.logout(request.cookies[ADMIN_COOKIE]);
    reply.clearCookie(ADMIN_COOKIE, { path: '/' });
    return reply.code(204).send();
  });
  app.get(
    '/api/admin/me',
    { preHandler: adminGuard(platform.admins, platform.audit) },
    async (request) => {
      const actor = actorOf(request);
      return {
        admin: { id: actor.adminId, email: actor.email, role: actor.role },
        csrfToken: request.csrfToken,
      };
    },
  );
}
