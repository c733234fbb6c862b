import type { Logger } from '@hybridstate/core';
import type { FastifyError, FastifyInstance } from 'fastify';
import { isPlatformError, PLATFORM_ERROR_STATUS } from '../platform/platform-errors.ts';
import { databaseAnswer } from './database-errors.ts';
import type { ErrorBody } from './error-body.ts';
import type { StaticUi } from './static-routes.ts';

/** The HTTP status and body for an error thrown by a route. */
export function errorAnswer(error: unknown): { status: number; body: ErrorBody } {
  if (isPlatformError(error)) {
    const body = { code: error.code, message: error.message };
    return {
      status: PLATFORM_ERROR_STATUS[error.code],
      body: { error: error.details === undefined ? body : { ...body, details: error.details } },
    };
  }
  const database = databaseAnswer(error);
  if (database !== undefined) return database;
  const status = (error as FastifyError).statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500)
    return {
      status,
      body: { error: { code: fastifyCode(status), message: (error as Error).message } },
    };
  return {
    status: 500,
    body: {
      error: {
        code: 'INTERNAL',
        message: 'Something went wrong on our side; it was logged. Try again.',
      },
    },
  };
}

/**
 * Map errors to `{ error: { code, message, details? } }` at the edge: platform errors by their
 * code's status, Fastify's own 4xx (malformed JSON, too large, wrong content type) as they
 * are, anything else as a logged 500 without a stack trace.
 */
export function installErrorHandler(
  app: FastifyInstance,
  logger: Logger,
  spas: () => readonly StaticUi[] = () => [],
): void {
  app.setErrorHandler((error, request, reply) => {
    const { status, body } = errorAnswer(error);
    if (status >= 500) logger.error({ err: error, url: request.url }, 'request failed');
    return reply.code(status).send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0]!;
    // A built UI's own routes (/admin/users/12) load its index.html; the UI routes from there.
    const ui = spas().find((s) => path.startsWith(s.prefix));
    if (ui !== undefined && request.method === 'GET' && !/\.[a-z0-9]+$/i.test(path))
      return reply.sendFile('index.html', ui.root);
    return reply.code(404).send({
      error: { code: 'NOT_FOUND', message: `No route ${request.method} ${path}.` },
    });
  });
}

function fastifyCode(status: number): string {
  if (status === 401) return 'UNAUTHENTICATED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 404) return 'NOT_FOUND';
  if (status === 413) return 'PAYLOAD_TOO_LARGE';
  if (status === 429) return 'RATE_LIMITED';
  return 'VALIDATION_FAILED';
}
