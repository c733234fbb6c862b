import type { SqlClient } from '@hybridstate/core';
import type { AppStack } from '@hybridstate/identity';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ExchangerError } from '../exchanger-errors.ts';
import { httpApp, requireSession, type SessionCookieOptions } from '../http/http-app.ts';
import { registerSessionRoutes } from '../http/session-routes.ts';
import { AdminRepository, REPORT_TYPES, type ReportType } from './admin-repository.ts';

/** The permission (in the admin context) an account needs to use the admin app. */
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

interface AdminContext {
  readonly stack: AppStack;
  readonly cookie: SessionCookieOptions;
  readonly repo: AdminRepository;
}

/** Who is acting, for the audit log. */
interface Actor {
  readonly adminId: string;
  readonly ipAddress: string;
  readonly userAgent: string;
}

const METRIC_NAME = { type: 'string', pattern: '^[a-z][a-z0-9_.]{0,99}$' } as const;
const METRIC_BODY = {
  type: 'object',
  required: ['name', 'value'],
  additionalProperties: false,
  properties: { name: METRIC_NAME, value: { type: 'number', minimum: -1e9, maximum: 1e9 } },
} as const;

/**
 * The exchanger's admin application (seed 001): login for accounts with the `admin`
 * permission in the admin context, audit logs of every admin action, metrics (cached 15 min)
 * and reports (cached 1 h).
 */
export function buildAdminApp(options: AdminAppOptions): FastifyInstance {
  const admin: AdminContext = {
    stack: options.stack,
    cookie: { name: 'admin_sid', ...options.cookie },
    repo: new AdminRepository(options.sql, options.schemas.admin),
  };
  const app = httpApp();
  registerSessionRoutes(app, {
    ...admin,
    sql: options.sql,
    identity: options.schemas.identity,
    authorize: (userId) => assertAdmin(admin.stack, userId),
    afterLogin: (adminId, request) =>
      admin.repo.audit({
        adminId,
        action: 'login',
        resourceType: 'session',
        ipAddress: request.ip,
      }),
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
      await actor(admin, request);
      return admin.repo.auditLogs(request.query.adminId);
    },
  );
  registerMetricRoutes(app, admin);
  app.get<{ Params: { type: string } }>('/reports/:type', async (request) => {
    const { adminId } = await actor(admin, request);
    const type = reportType(request.params.type);
    const rows = await admin.stack.cache.getOrSet('reports', type, () =>
      admin.repo.generateReport(type, adminId),
    );
    return { type, rows };
  });
  return app;
}

function registerMetricRoutes(app: FastifyInstance, admin: AdminContext): void {
  app.post<{ Body: { name: string; value: number } }>(
    '/metrics',
    { schema: { body: METRIC_BODY } },
    async (request, reply) => {
      const who = await actor(admin, request);
      const { name, value } = request.body;
      await admin.repo.recordMetric(name, String(value));
      await admin.stack.cache.delete('metrics', name);
      await admin.repo.audit({
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
    { schema: { params: { type: 'object', properties: { name: METRIC_NAME } } } },
    async (request) => {
      await actor(admin, request);
      const { name } = request.params;
      return {
        name,
        samples: await admin.stack.cache.getOrSet('metrics', name, () => admin.repo.metric(name)),
      };
    },
  );
}

/** The signed-in admin of a request, or 401 / 403. */
async function actor(admin: AdminContext, request: FastifyRequest): Promise<Actor> {
  const { session } = await requireSession(request, admin.stack, admin.cookie);
  await assertAdmin(admin.stack, session.userId);
  return {
    adminId: session.userId,
    ipAddress: request.ip,
    userAgent: request.headers['user-agent'] ?? '',
  };
}

/** `EXCHANGER_FORBIDDEN` unless the user holds the admin permission in the admin context. */
async function assertAdmin(stack: AppStack, userId: string): Promise<void> {
  const user = await stack.users.get(userId);
  if (user === null || !user.permissions.includes(ADMIN_PERMISSION))
    throw new ExchangerError('EXCHANGER_FORBIDDEN');
}

function reportType(type: string): ReportType {
  if ((REPORT_TYPES as readonly string[]).includes(type)) return type as ReportType;
  throw new ExchangerError(
    'EXCHANGER_NOT_FOUND',
    `No report type "${type}"; known: ${REPORT_TYPES.join(', ')}.`,
  );
}
