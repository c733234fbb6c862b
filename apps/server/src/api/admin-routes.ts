import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Platform } from '../platform/platform.ts';
import { idParam, pageQuery, validate } from '../platform/validate.ts';
import type { EntityServiceOf } from '../services/entity-service.ts';
import { completionQuery } from '../services/review-service.ts';
import { adminGuard } from './admin-guard.ts';
import { actorOf } from './request-context.ts';
import { type SystemSources, systemStatus } from './system-status.ts';

const userQuery = pageQuery.extend({
  status: z.enum(['active', 'banned']).optional(),
  q: z.string().trim().max(100).optional(),
});
const payoutQuery = pageQuery.extend({
  status: z.enum(['pending', 'approved', 'declined']).optional(),
});

/** Every `/api/admin/*` route but login and logout, behind the admin guard. */
export function adminRoutes(app: FastifyInstance, platform: Platform, system: SystemSources): void {
  app.register(async (admin) => {
    admin.addHook('preHandler', adminGuard(platform.admins, platform.audit));
    entityRoutes(admin, 'buttons', platform.buttons);
    entityRoutes(admin, 'scenarios', platform.scenarios);
    entityRoutes(admin, 'tasks', platform.tasks);
    userRoutes(admin, platform);
    payoutRoutes(admin, platform);
    reviewRoutes(admin, platform);
    admin.get('/api/admin/settings', () => platform.settings.get());
    admin.put('/api/admin/settings', (request) =>
      platform.settings.put(actorOf(request), request.body),
    );
    admin.get('/api/admin/audit', (request) => {
      const { limit, offset } = validate(pageQuery, request.query, 'query');
      return platform.audit.list(limit, offset);
    });
    admin.get('/api/admin/system', () => systemStatus(system));
  });
}

function entityRoutes(
  app: FastifyInstance,
  name: string,
  service: EntityServiceOf<{ id: number }>,
) {
  const path = `/api/admin/${name}`;
  app.get(path, async () => {
    const items = await service.list();
    return { items, total: items.length, limit: items.length, offset: 0 };
  });
  app.post(path, async (request, reply) =>
    reply.code(201).send(await service.create(actorOf(request), request.body)),
  );
  app.patch(`${path}/:id`, (request) =>
    service.update(
      actorOf(request),
      validate(idParam, request.params, 'id').id,
      request.body ?? {},
    ),
  );
  app.delete(`${path}/:id`, async (request, reply) => {
    await service.delete(actorOf(request), validate(idParam, request.params, 'id').id);
    return reply.code(204).send();
  });
}

function userRoutes(app: FastifyInstance, platform: Platform) {
  app.get('/api/admin/users', (request) =>
    platform.users.list(validate(userQuery, request.query, 'query')),
  );
  app.get('/api/admin/users/:id', (request) =>
    platform.users.withLedger(validate(idParam, request.params, 'id').id),
  );
  app.patch('/api/admin/users/:id', (request) =>
    platform.users.setStatus(
      actorOf(request),
      validate(idParam, request.params, 'id').id,
      request.body,
    ),
  );
}

function payoutRoutes(app: FastifyInstance, platform: Platform) {
  app.get('/api/admin/payouts', (request) =>
    platform.payouts.list(validate(payoutQuery, request.query, 'query')),
  );
  app.post('/api/admin/payouts/:id/approve', (request) =>
    platform.payouts.approve(actorOf(request), validate(idParam, request.params, 'id').id),
  );
  app.post('/api/admin/payouts/:id/decline', (request) =>
    platform.payouts.decline(
      actorOf(request),
      validate(idParam, request.params, 'id').id,
      request.body,
    ),
  );
}

function reviewRoutes(app: FastifyInstance, platform: Platform) {
  app.get('/api/admin/completions', (request) =>
    platform.reviews.list(validate(completionQuery, request.query, 'query')),
  );
  app.post('/api/admin/completions/:id/approve', (request) =>
    platform.reviews.approve(actorOf(request), validate(idParam, request.params, 'id').id),
  );
  app.post('/api/admin/completions/:id/reject', (request) =>
    platform.reviews.reject(actorOf(request), validate(idParam, request.params, 'id').id),
  );
}
