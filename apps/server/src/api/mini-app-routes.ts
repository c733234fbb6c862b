import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { MiniAppAuth } from '../auth/mini-app-auth.ts';
import type { Platform } from '../platform/platform.ts';
import { PlatformError } from '../platform/platform-errors.ts';
import { idParam, validate } from '../platform/validate.ts';
import { idempotencyKey } from '../services/payout-service.ts';
import { appUserOf } from './request-context.ts';

const completeBody = z.object({ answer: z.string().max(200).optional() }).default({});

/** `/api/app/*`: the Mini App's routes, for the user inside a verified initData. */
export function miniAppRoutes(app: FastifyInstance, platform: Platform): void {
  const auth = new MiniAppAuth(platform.initDataSecret);
  app.register(async (scope) => {
    scope.addHook('preHandler', async (request: FastifyRequest) => {
      const user = auth.verify(request.headers.authorization);
      const registered = await platform.users.register({
        id: user.id,
        username: user.username,
        firstName: user.first_name,
      });
      if (registered.user.status === 'banned')
        throw new PlatformError('BANNED', "Your account is blocked; contact the bot's admins.");
      request.appUser = registered.user;
    });
    scope.get('/api/app/me', async (request) => {
      const { currency, minPayoutMinor } = await platform.settings.get();
      return { user: appUserOf(request), settings: { currency, minPayoutMinor } };
    });
    scope.get('/api/app/tasks', async (request) => ({
      items: await platform.completions.tasksFor(appUserOf(request)),
    }));
    scope.post('/api/app/tasks/:id/complete', async (request) => {
      const { id } = validate(idParam, request.params, 'id');
      const { answer } = validate(completeBody, request.body ?? {}, 'completion');
      return platform.completions.complete(appUserOf(request), id, answer);
    });
    scope.get('/api/app/payouts', async (request) => ({
      items: await platform.payouts.forUser(appUserOf(request)),
    }));
    scope.post('/api/app/payouts', async (request, reply) => {
      const header = request.headers['idempotency-key'];
      const key =
        header === undefined ? undefined : validate(idempotencyKey, header, 'Idempotency-Key');
      return reply
        .code(201)
        .send(await platform.payouts.request(appUserOf(request), request.body, key));
    });
  });
}
