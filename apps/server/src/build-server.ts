import type { TieredStore } from '@hybridstate/core';
import Fastify, { type FastifyInstance } from 'fastify';

/** Options of {@link buildServer}. */
export interface BuildServerOptions {
  readonly store: TieredStore;
  /** Fastify's logger option: a pino instance, or false. */
  readonly logger?: FastifyInstance['log'] | false;
}

/**
 * The HTTP server. Until the reference platform lands it serves `GET /health`: the live
 * health of every tier, 200 while the store can serve (`ok` or `degraded`), 503 when `down`.
 */
export function buildServer(options: BuildServerOptions): FastifyInstance {
  const app = Fastify(
    options.logger === undefined || options.logger === false
      ? { logger: false }
      : { loggerInstance: options.logger },
  );
  app.get('/health', async (_request, reply) => {
    const health = await options.store.health();
    return reply.code(health.status === 'down' ? 503 : 200).send(health);
  });
  return app;
}
