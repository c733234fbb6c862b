import type { SqlClient } from '@hybridstate/core';
import type { AppStack } from '@hybridstate/identity';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { checkCredentials } from '../credentials.ts';
import { ExchangerError } from '../exchanger-errors.ts';
import {
  endSession,
  httpApp,
  requireSession,
  type SessionCookieOptions,
  startSession,
} from '../http/http-app.ts';
import { LOGIN_BODY_SCHEMA, type LoginBody } from '../http/login-body.ts';
import { AdminRepository, REPORT_TYPES, type ReportType } from './admin-repository.ts';

/** The permission (in the admin context) an account needs to log in to the admin app. */
export const ADMIN_PERMISSION = 'admin';

/** What the admin app is built from: the admin stack and the admin role's connection. */
export interface AdminAppOptions {
  /** The `admin` context's stack (sessions, users, caches `metrics` 15 min and `reports` 1 h). */
  readonly stack: AppStack;
  /** PostgreSQL connected as the admin role. */
  readonly sql: SqlClient;
  /** Quoted schema names. */
  readonly schemas: { readonly identity: string; readonly admin: string };
  readonly cookie?: Partial<SessionCookieOptions>;
}

const NAME = { type: 'string', pattern: '^[a-z][a-z0-9_.]{0,99}$' } as const;

/**
 * The exchanger's admin application (seed 001): login for accounts with the `admin`
 * permission in the admin context, audit logs of every admin action, metrics (cached 15 min)
 * and reports (cached 1 h).
 */
export function buildAdminApp(options: AdminAppOptions): FastifyInstance {
  const { stack } = options;
  const cookie: SessionCookieOptions = { name: 'admin_sid', ...options.cookie };
  const repo = new AdminRepository(options.sql, options.schemas.admin);
  const app = httpApp();
  const admin = async (request: FastifyRequest) => {
    const { session } = await requireSession(request, stack, cookie);
    const user = await stack.users.get(session.userId);
    if (user === null || !user.permissions.includes(ADMIN_PERMISSION))
      throw new ExchangerError('EXCHANGER_FORBIDDEN');
    return {
      adminId: user.id,
      ipAddress: request.ip,
      userAgent: request.headers['user-agent'] ?? '',
    };
  };

  app.post<{ Body: LoginBody }>(
    '/login',
    { schema: { body: LOGIN_BODY_SCHEMA } },
    async (request, reply) => {
      const userId = await checkCredentials(
        options.sql,
        options.schemas.identity,
        request.body.email,
        request.body.password,
      );
      const user = await stack.users.get(userId);
      if (user === null || !user.permissions.includes(ADMIN_PERMISSION))
        throw new ExchangerError('EXCHANGER_FORBIDDEN');
      await startSession(reply, stack, cookie, userId, { loginAt: new Date().toISOString() });
      await repo.audit({
        adminId: userId,
        action: 'login',
        resourceType: 'session',
        ipAddress: request.ip,
      });
      return { userId };
    },
  );
  app.post('/logout', async (request, reply) => {
    await endSession(request, reply, stack, cookie);
    return { ok: true };
  });
  app.get<{ Querystring: { adminId?: string } }>(
    '/audit-logs',
    {
      schema: {
        querystring: {
          type: 'object',
          properties: { adminId: { type: 'string', format: 'uuid' } },
        },
      },
    },
    async (request) => {
      await admin(request);
      return repo.auditLogs(request.query.adminId);
    },
  );
  app.post<{ Body: { name: string; value: number } }>(
    '/metrics',
    {
      schema: {
        body: {
          type: 'object',
          required: ['name', 'value'],
          additionalProperties: false,
          properties: { name: NAME, value: { type: 'number', minimum: -1e9, maximum: 1e9 } },
        },
      },
    },
    async (request, reply) => {
      const who = await admin(request);
      const { name, value } = request.body;
      await repo.recordMetric(name, String(value));
      await stack.cache.delete('metrics', name);
      await repo.audit({
        ...who,
        action: 'metric.record',
        resourceType: 'metric',
        resourceId: name,
        newValues: { value },
      });
      return reply.code(201).send({ name, value });
    },
  );
  app.get<{ Params: { name: string } }>(
    '/metrics/:name',
    { schema: { params: { type: 'object', properties: { name: NAME } } } },
    async (request) => {
      await admin(request);
      const { name } = request.params;
      return {
        name,
        samples: await stack.cache.getOrSet('metrics', name, () => repo.metric(name)),
      };
    },
  );
  app.get<{ Params: { type: string } }>('/reports/:type', async (request) => {
    const who = await admin(request);
    const type = request.params.type as ReportType;
    if (!REPORT_TYPES.includes(type))
      throw new ExchangerError(
        'EXCHANGER_NOT_FOUND',
        `No report type "${type}"; known: ${REPORT_TYPES.join(', ')}.`,
      );
    const rows = await stack.cache.getOrSet('reports', type, () =>
      repo.generateReport(type, who.adminId),
    );
    return { type, rows };
  });
  return app;
}
