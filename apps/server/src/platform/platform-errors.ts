/** Stable codes of the platform's refusals, with the HTTP status the API answers them with. */
export const PLATFORM_ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  INIT_DATA_INVALID: 401,
  FORBIDDEN: 403,
  CSRF_INVALID: 403,
  BANNED: 403,
  WEBHOOK_SECRET_INVALID: 401,
  NOT_FOUND: 404,
  ALREADY_COMPLETED: 409,
  ALREADY_DECIDED: 409,
  CONFLICT: 409,
  BELOW_MINIMUM: 422,
  INSUFFICIENT_BALANCE: 422,
  WRONG_ANSWER: 422,
  TASK_LIMIT_REACHED: 422,
  TASK_INACTIVE: 422,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
} as const;

/** A platform error code. */
export type PlatformErrorCode = keyof typeof PLATFORM_ERROR_STATUS;

/**
 * A refusal the client can act on: a stable code, a message that says what is wrong and what
 * to do, and optional details (validation issues). Mapped to HTTP only at the API edge.
 */
export class PlatformError extends Error {
  readonly code: PlatformErrorCode;
  readonly details: unknown;

  constructor(code: PlatformErrorCode, message: string, details?: unknown, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'PlatformError';
    this.code = code;
    this.details = details;
  }
}

/** Whether `error` is a {@link PlatformError} (optionally with this code). */
export function isPlatformError(error: unknown, code?: PlatformErrorCode): error is PlatformError {
  return error instanceof PlatformError && (code === undefined || error.code === code);
}

/** `NOT_FOUND` for an entity. */
export function notFound(entity: string, id: unknown): PlatformError {
  return new PlatformError('NOT_FOUND', `No ${entity} with id ${String(id)}.`);
}
