import type { SqlClient } from '@hybridstate/core';
import type { AppStack } from '@hybridstate/identity';
import type { FastifyInstance } from 'fastify';
import { ExchangerError } from '../exchanger-errors.ts';
import { httpApp, requireSession, type SessionCookieOptions } from '../http/http-app.ts';
import { registerSessionRoutes } from '../http/session-routes.ts';
import { WebRepository } from './web-repository.ts';
import { ORDER_BODY, PAYMENT_SCHEMA, RATE_PARAMS } from './web-schemas.ts';

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

interface WebContext {
  readonly stack: AppStack;
  readonly cookie: SessionCookieOptions;
  readonly repo: WebRepository;
}

/**
 * The exchanger's web application (seed 001): login with a web session cookie, exchange
 * rates (cached 5 min), orders (cached 30 min per user) and payments.
 */
export function buildWebApp(options: WebAppOptions): FastifyInstance {
  const web: WebContext = {
    stack: options.stack,
    cookie: { name: 'web_sid', ...options.cookie },
    repo: new WebRepository(options.sql, options.schemas.web),
  };
  const app = httpApp();
  registerSessionRoutes(app, { ...web, sql: options.sql, identity: options.schemas.identity });
  app.get('/me', async (request) => {
    const { session } = await requireSession(request, web.stack, web.cookie);
    return web.stack.users.get(session.userId);
  });
  app.get<{ Params: { from: string; to: string } }>(
    '/rates/:from/:to',
    { schema: { params: RATE_PARAMS } },
    async (request) => {
      const { from, to } = request.params;
      return { from, to, rate: await rateOf(web, from, to) };
    },
  );
  registerOrderRoutes(app, web);
  return app;
}

function registerOrderRoutes(app: FastifyInstance, web: WebContext): void {
  const { stack, cookie, repo } = web;
  app.get('/orders', async (request) => {
    const { session } = await requireSession(request, stack, cookie);
    return stack.cache.getOrSet('orders', session.userId, () => repo.ordersOf(session.userId));
  });
  app.post<{ Body: { from: string; to: string; amount: string } }>(
    '/orders',
    { schema: { body: ORDER_BODY } },
    async (request, reply) => {
      const { session } = await requireSession(request, stack, cookie);
      const { from, to, amount } = request.body;
      const rate = await rateOf(web, from, to);
      const order = await repo.createOrder(session.userId, from, to, amount, rate);
      await stack.cache.delete('orders', session.userId);
      return reply.code(201).send(order);
    },
  );
  app.post<{ Params: { id: string }; Body: { method: string } }>(
    '/orders/:id/payments',
    { schema: PAYMENT_SCHEMA },
    async (request, reply) => {
      const { session } = await requireSession(request, stack, cookie);
      const payment = await repo.pay(session.userId, request.params.id, request.body.method);
      await stack.cache.delete('orders', session.userId);
      return reply.code(201).send(payment);
    },
  );
}

/** The pair's current rate through the 5 min `rates` cache; a missing rate is not cached. */
async function rateOf(web: WebContext, from: string, to: string): Promise<string> {
  const key = `${from}_${to}`;
  const cached = await web.stack.cache.get<string>('rates', key);
  if (cached !== undefined) return cached;
  const rate = await web.repo.currentRate(from, to);
  if (rate === undefined)
    throw new ExchangerError('EXCHANGER_NOT_FOUND', `No exchange rate for ${from} -> ${to}.`);
  await web.stack.cache.set('rates', key, rate);
  return rate;
}
