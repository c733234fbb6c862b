import type { AppStack, Session } from '@hybridstate/identity';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { ExchangerError } from '../exchanger-errors.ts';
import { clearedCookie, readCookie, sessionCookie } from './cookies.ts';

/** How an HTTP app keeps its login session. */
export interface SessionCookieOptions {
  /** Cookie name; each application has its own (`web_sid`, `admin_sid`). */
  readonly name: string;
  /** Leave `Secure` off (plain-HTTP local runs and tests). @default false */
  readonly insecure?: boolean;
}

/** A Fastify app answering errors as `{ code, message }` with the code's status. */
export function httpApp(): FastifyInstance {
  // Refuse unknown fields instead of silently dropping them (Fastify's default).
  const app = Fastify({ logger: false, ajv: { customOptions: { removeAdditional: false } } });
  app.setErrorHandler(
    (error: Error & { validation?: unknown; statusCode?: number }, _request, reply) => {
      if (error instanceof ExchangerError)
        return reply.code(error.statusCode).send({ code: error.code, message: error.message });
      if (error.validation !== undefined)
        return reply.code(400).send({ code: 'EXCHANGER_INVALID_INPUT', message: error.message });
      if (error.statusCode !== undefined && error.statusCode < 500)
        return reply
          .code(error.statusCode)
          .send({ code: 'EXCHANGER_INVALID_INPUT', message: error.message });
      return reply
        .code(500)
        .send({ code: 'EXCHANGER_INTERNAL', message: 'Internal error; see the server log.' });
    },
  );
  return app;
}

/**
 * The live session of the stack's own context named by the request's cookie, or
 * `EXCHANGER_NOT_AUTHENTICATED`. Another application's session id gives nothing: the stack is
 * bound to its context (seed 001, scenario 3).
 */
export async function requireSession(
  request: FastifyRequest,
  stack: AppStack,
  cookie: SessionCookieOptions,
): Promise<{ id: string; session: Session }> {
  const id = readCookie(request.headers.cookie, cookie.name);
  const session = id === undefined ? null : await stack.sessions.touch(id);
  if (id === undefined || session === null) throw new ExchangerError('EXCHANGER_NOT_AUTHENTICATED');
  return { id, session };
}

/** Create a session for `userId` in the stack's context and set its cookie. */
export async function startSession(
  reply: FastifyReply,
  stack: AppStack,
  cookie: SessionCookieOptions,
  userId: string,
  data: Record<string, unknown>,
): Promise<void> {
  const { id, session } = await stack.sessions.create(userId, data);
  const maxAgeS = Math.floor((session.expiresAt.getTime() - Date.now()) / 1000);
  reply.header('set-cookie', sessionCookie(cookie.name, id, maxAgeS, cookie.insecure));
}

/** Delete the request's session (both tiers) and clear its cookie. */
export async function endSession(
  request: FastifyRequest,
  reply: FastifyReply,
  stack: AppStack,
  cookie: SessionCookieOptions,
): Promise<void> {
  const id = readCookie(request.headers.cookie, cookie.name);
  if (id !== undefined) await stack.sessions.delete(id);
  reply.header('set-cookie', clearedCookie(cookie.name));
}
