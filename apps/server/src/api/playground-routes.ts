import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Platform } from '../platform/platform.ts';
import { validate } from '../platform/validate.ts';
import { miniAppLink } from '../playground/mini-app-link.ts';
import { adminGuard } from './admin-guard.ts';

const linkQuery = z.object({
  telegramId: z.coerce.number().int().min(1).max(9_999_999_999_999),
  firstName: z.string().trim().min(1).max(64),
  username: z
    .string()
    .regex(/^[A-Za-z0-9_]{1,32}$/)
    .optional(),
});

/** The bot playground: `POST /api/admin/playground/send`, `GET .../mini-app-url`. */
export function playgroundRoutes(app: FastifyInstance, platform: Platform): void {
  app.register(async (scope) => {
    scope.addHook('preHandler', adminGuard(platform.admins, platform.audit));
    scope.post('/api/admin/playground/send', (request) => platform.playground.send(request.body));
    // Admins only: the signed initData is a working credential of that Telegram user.
    scope.get('/api/admin/playground/mini-app-url', { config: { adminOnly: true } }, (request) => {
      const query = validate(linkQuery, request.query, 'query');
      return {
        url: miniAppLink(
          { id: query.telegramId, firstName: query.firstName, username: query.username },
          platform.initDataSecret,
        ),
      };
    });
  });
}
