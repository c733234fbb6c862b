import { isHybridStateError } from '@hybridstate/core';
import type { ErrorBody } from './error-body.ts';

const UNAVAILABLE_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EPIPE',
]);

/**
 * The answer for a database error a request caused or met, or undefined when it is a bug
 * (a 500): a unique or foreign-key conflict is 409 CONFLICT, a value PostgreSQL rejects (NUL
 * bytes, out of range: SQLSTATE class 22) is 400, an unreachable database is 503.
 */
export function databaseAnswer(error: unknown): { status: number; body: ErrorBody } | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (isHybridStateError(error, 'HS_TIER_UNAVAILABLE') || unavailable(code))
    return answer(503, 'UNAVAILABLE', 'The database is unreachable right now; retry in a moment.');
  if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code)) return undefined;
  if (code === '23505')
    return answer(
      409,
      'CONFLICT',
      `It already exists: ${detail(error)}. Change the conflicting value.`,
    );
  if (code === '23503')
    return answer(409, 'CONFLICT', `It refers to something that does not exist: ${detail(error)}.`);
  if (code.startsWith('22') || code === '23514')
    return answer(
      400,
      'VALIDATION_FAILED',
      `The database rejected a value: ${(error as Error).message}.`,
    );
  return undefined;
}

function unavailable(code: unknown): boolean {
  if (typeof code !== 'string') return false;
  return UNAVAILABLE_NODE_CODES.has(code) || /^(08|53|57)/.test(code);
}

function detail(error: unknown): string {
  const { detail: text, constraint } = error as { detail?: string; constraint?: string };
  return text ?? constraint ?? (error as Error).message;
}

function answer(status: number, code: string, message: string) {
  return { status, body: { error: { code, message } } };
}
