import type { TieredStore } from '@hybridstate/core';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import { DEFAULT_REQUIRED_TIERS, type RequiredTier, readiness } from './readiness.ts';

/** Options of {@link buildServer}. */
export interface BuildServerOptions {
  readonly store: TieredStore;
  /** Fastify's logger option: a pino instance, or false. */
  readonly logger?: FastifyInstance['log'] | false;
  /** Served as `GET /metrics` (Prometheus text format) when given. */
  readonly metrics?: Registry;
  /** Tiers whose outage makes `GET /ready` answer 503. @default ['postgres'] */
  readonly requiredTiers?: readonly RequiredTier[];
}

/**
 * The HTTP server:
 * - `GET /health` (liveness): 200 while the process answers, with the live health of every
 *   tier in the body (`status`: `ok`, `degraded` or `down`). It stays 200 when the data tiers
 *   are down: restarting the process would not bring a database back, and a liveness probe
 *   that fails then turns an outage into a restart loop; `/ready` says not ready instead;
 * - `GET /ready` (readiness): 200 while every required tier is up, else 503 naming them;
 * - `GET /metrics`: Prometheus metrics, when a registry is given.
 */
export function buildServer(options: BuildServerOptions): FastifyInstance {
  const app = Fastify(
    options.logger === undefined || options.logger === false
      ? { logger: false }
      : { loggerInstance: options.logger },
  );
  // Probes and scrapes arrive every few seconds: keep them out of the info log.
  const quiet = { logLevel: 'warn' } as const;
  app.get('/health', quiet, async (_request, reply) => {
    return reply.send(await options.store.health());
  });
  const required = options.requiredTiers ?? DEFAULT_REQUIRED_TIERS;
  app.get('/ready', quiet, async (_request, reply) => {
    const ready = readiness(await options.store.health(), required);
    return reply.code(ready.ready ? 200 : 503).send(ready);
  });
  const registry = options.metrics;
  if (registry !== undefined)
    app.get('/metrics', quiet, async (_request, reply) =>
      reply.type(registry.contentType).send(await registry.metrics()),
    );
  return app;
}
