import { HybridStateError, hsError } from '../errors.ts';

const UNAVAILABLE_CLASSES = ['08', '53', '57', '58'];
const UNAVAILABLE_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'EAI_AGAIN',
]);
const UNAVAILABLE_MESSAGES =
  /Connection terminated|timeout exceeded|Query read timeout|Client has encountered a connection error|Connection ended|PGlite is closed|statement timeout/i;

/**
 * Map a driver error to a typed error. Connection trouble becomes `HS_TIER_UNAVAILABLE`;
 * a data exception (SQLSTATE class 22, e.g. a NUL character in jsonb) `HS_VALUE_REJECTED`;
 * anything else is a bug and keeps its original error, with the statement attached.
 */
export function toSqlError(
  error: unknown,
  statement: string,
  context: Record<string, unknown> = {},
): Error {
  if (error instanceof HybridStateError) return error;
  const { code, message } = describe(error);
  if (isUnavailable(code, message)) {
    return hsError(
      'HS_TIER_UNAVAILABLE',
      `PostgreSQL is unavailable: ${message}. Check DATABASE_URL (or PGHOST...) and that PostgreSQL is running.`,
      { tier: 'postgres', ...context },
      error,
    );
  }
  // Class 22: data exception (e.g. NUL in jsonb); class 54: program limit (e.g. index row too big).
  if (code?.startsWith('22') || code?.startsWith('54')) {
    return hsError(
      'HS_VALUE_REJECTED',
      `PostgreSQL rejected the value: ${message} (SQLSTATE ${code}). Change the value; nothing was written.`,
      { sqlstate: code, ...context },
      error,
    );
  }
  if (error instanceof Error)
    Object.assign(error, { statement: statement.replace(/\s+/g, ' ').trim() });
  return error instanceof Error ? error : new Error(message);
}

/** True when an error means "the database cannot be reached right now". */
export function isUnavailableError(error: unknown): boolean {
  const { code, message } = describe(error);
  return isUnavailable(code, message);
}

function isUnavailable(code: string | undefined, message: string): boolean {
  if (code !== undefined && UNAVAILABLE_NODE_CODES.has(code)) return true;
  if (code !== undefined && UNAVAILABLE_CLASSES.some((c) => code.startsWith(c))) return true;
  return UNAVAILABLE_MESSAGES.test(message);
}

function describe(error: unknown): { code: string | undefined; message: string } {
  const record = (error ?? {}) as { code?: unknown; message?: unknown; errors?: unknown[] };
  // AggregateError (e.g. connecting to both ::1 and 127.0.0.1) carries the codes inside.
  const inner = Array.isArray(record.errors)
    ? (record.errors[0] as { code?: unknown } | undefined)
    : undefined;
  const code =
    typeof record.code === 'string'
      ? record.code
      : typeof inner?.code === 'string'
        ? inner.code
        : undefined;
  const message =
    typeof record.message === 'string' && record.message !== ''
      ? record.message
      : String(code ?? error);
  return { code, message };
}
