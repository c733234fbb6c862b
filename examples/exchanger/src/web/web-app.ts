import type { SqlClient } from '@hybridstate/core';
import type { AppStack } from '@hybridstate/identity';
import type { FastifyInstance } from 'fastify';
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
import type { Order } from './web-repository.ts';
import { WebRepository } from './web-repository.ts';

/** What the web app is built from: the web stack and the web role's connection. */
export interface WebAppOptions {
  /** The `web` context's stack (sessions, users, caches `rates` 5 min and `orders` 30 min). */
  readonly stack: AppStack;
  /** PostgreSQL connected as the web role. */
  readonly sql: SqlClient;
  /** Quoted schema names. */
  readonly schemas: { readonly identity: string; readonly web: string };
  readonly cookie?: Partial<SessionCookieOptions>;
}

const CURRENCY = { type: 'string', pattern: '^[A-Z]{3,10}$' } as const;
const AMOUNT = { type: 'string', pattern: '^(?!0+(\\.0+)?$)\\d{1,10}(\\.\\d{1,8})?$' } as const;

/**
 * The exchanger's web application (seed 001): login with a web session cookie, exchange
 * rates (cached 5 min), orders (cached 30 min per user) and payments.
 */
export function buildWebApp(options: WebAppOptions): FastifyInstance {
  const { stack } = options;
  const cookie: SessionCookieOptions = { name: 'web_sid', ...options.cookie };
  const repo = new WebRepository(options.sql, options.schemas.web);
  const app = httpApp();

  app.post<{ Body: LoginBody }>(
    '/login',
    { schema: { body: LOGIN_BODY_SCHEMA } },
    async (request, reply) => {
      const { email, password } = request.body;
      const userId = await checkCredentials(options.sql, options.schemas.identity, email, password);
      await startSession(reply, stack, cookie, userId, { loginAt: new Date().toISOString() });
      return { userId };
    },
  );
  app.post('/logout', async (request, reply) => {
    await endSession(request, reply, stack, cookie);
    return { ok: true };
  });
  app.get('/me', async (request) => {
    const { session } = await requireSession(request, stack, cookie);
    return stack.users.get(session.userId);
  });
  app.get<{ Params: { from: string; to: string } }>(
    '/rates/:from/:to',
    { schema: { params: { type: 'object', properties: { from: CURRENCY, to: CURRENCY } } } },
    async (request) => {
      const { from, to } = request.params;
      return { from, to, rate: await rateOf(stack, repo, from, to) };
    },
  );
  app.get('/orders', async (request) => {
    const { session } = await requireSession(request, stack, cookie);
    return stack.cache.getOrSet('orders', session.userId, () => repo.ordersOf(session.userId));
  });
  app.post<{ Body: { from: string; to: string; amount: string } }>(
    '/orders',
    {
      schema: {
        body: {
          type: 'object',
          required: ['from', 'to', 'amount'],
          additionalProperties: false,
          properties: { from: CURRENCY, to: CURRENCY, amount: AMOUNT },
        },
      },
    },
    async (request, reply) => {
      const { session } = await requireSession(request, stack, cookie);
      const { from, to, amount } = request.body;
      const rate = await rateOf(stack, repo, from, to);
      const order = await repo.createOrder(session.userId, from, to, amount, rate);
      await stack.cache.delete('orders', session.userId);
      return reply.code(201).send(order);
    },
  );
  app.post<{ Params: { id: string }; Body: { method: string } }>(
    '/orders/:id/payments',
    {
      schema: {
        params: { type: 'object', properties: { id: { type: 'string', format: 'uuid' } } },
        body: {
          type: 'object',
          required: ['method'],
          additionalProperties: false,
          properties: { method: { type: 'string', enum: ['card', 'bank_transfer', 'crypto'] } },
        },
      },
    },
    async (request, reply) => {
      const { session } = await requireSession(request, stack, cookie);
      const payment = await repo.pay(session.userId, request.params.id, request.body.method);
      await stack.cache.delete('orders', session.userId);
      return reply.code(201).send(payment);
    },
  );
  return app;
}

/** The pair's current rate through the 5 min `rates` cache; a missing rate is not cached. */
async function rateOf(
  stack: AppStack,
  repo: WebRepository,
  from: string,
  to: string,
): Promise<string> {
  const key = `${from}_${to}`;
  const cached = await stack.cache.get<string>('rates', key);
  if (cached !== undefined) return cached;
  const rate = await repo.currentRate(from, to);
  if (rate === undefined)
    throw new ExchangerError('EXCHANGER_NOT_FOUND', `No exchange rate for ${from} -> ${to}.`);
  await stack.cache.set('rates', key, rate);
  return rate;
}

export type { Order };
