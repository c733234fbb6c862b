import type { Logger } from '@hybridstate/core';
import type { FastifyError, FastifyInstance } from 'fastify';
import { isPlatformError, PLATFORM_ERROR_STATUS } from '../platform/platform-errors.ts';

/** The body of every error answer. */
export interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string; readonly details?: unknown };
}

/** The HTTP status and body for an error thrown by a route. */
export function errorAnswer(error: unknown): { status: number; body: ErrorBody } {
  if (isPlatformError(error)) {
    const body = { code: error.code, message: error.message };
    return {
      status: PLATFORM_ERROR_STATUS[error.code],
      body: { error: error.details === undefined ? body : { ...body, details: error.details } },
    };
  }
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
export function installErrorHandler(app: FastifyInstance, logger: Logger): void {
  app.setErrorHandler((error, request, reply) => {
    const { status, body } = errorAnswer(error);
    if (status >= 500) logger.error({ err: error, url: request.url }, 'request failed');
    return reply.code(status).send(body);
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({
      error: {
        code: 'NOT_FOUND',
        message: `No route ${request.method} ${request.url.split('?')[0]}.`,
      },
    }),
  );
}

function fastifyCode(status: number): string {
  if (status === 401) return 'UNAUTHENTICATED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 404) return 'NOT_FOUND';
  if (status === 413) return 'PAYLOAD_TOO_LARGE';
  if (status === 429) return 'RATE_LIMITED';
  return 'VALIDATION_FAILED';
}
