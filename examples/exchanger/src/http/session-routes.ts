import type { SqlClient } from '@hybridstate/core';
import type { AppStack } from '@hybridstate/identity';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { checkCredentials } from '../credentials.ts';
import { endSession, type SessionCookieOptions, startSession } from './http-app.ts';
import { LOGIN_BODY_SCHEMA, type LoginBody } from './login-body.ts';

/** What `POST /login` and `POST /logout` need. */
export interface SessionRoutesOptions {
  readonly stack: AppStack;
  readonly cookie: SessionCookieOptions;
  /** The application role's connection, to check credentials in identity. */
  readonly sql: SqlClient;
  /** The quoted identity schema. */
  readonly identity: string;
  /** Runs after the password is checked, before the session exists: throw to refuse. */
  readonly authorize?: (userId: string, request: FastifyRequest) => Promise<void>;
  /** Runs once the session exists (audit, analytics). */
  readonly afterLogin?: (userId: string, request: FastifyRequest) => Promise<void>;
}

/**
 * `POST /login` (email + password -> a session of the stack's context in its cookie) and
 * `POST /logout` (the session deleted from both tiers, the cookie cleared).
 */
export function registerSessionRoutes(app: FastifyInstance, options: SessionRoutesOptions): void {
  const { stack, cookie } = options;
  app.post<{ Body: LoginBody }>(
    '/login',
    { schema: { body: LOGIN_BODY_SCHEMA } },
    async (request, reply) => {
      const { email, password } = request.body;
      const userId = await checkCredentials(options.sql, options.identity, email, password);
      await options.authorize?.(userId, request);
      await startSession(reply, stack, cookie, userId, { loginAt: new Date().toISOString() });
      await options.afterLogin?.(userId, request);
      return { userId };
    },
  );
  app.post('/logout', async (request, reply) => {
    await endSession(request, reply, stack, cookie);
    return { ok: true };
  });
}
