/**
 * Every error @hybridstate/core throws is a {@link HybridStateError} with a stable `code`.
 * Match on `error.code` (or `instanceof`), never on the message: messages may improve,
 * codes never change meaning.
 *
 * @example
 * ```ts
 * try { await store.set(key, value); }
 * catch (error) { if (isHybridStateError(error, 'HS_TIER_UNAVAILABLE')) retryLater(); }
 * ```
 */
export class HybridStateError<C extends string = ErrorCode> extends Error {
  /** Stable machine-readable code, e.g. `HS_TIER_UNAVAILABLE`. */
  readonly code: C;
  /** Facts about what was being done: key, family, tier, variable name... */
  readonly context: Readonly<Record<string, unknown>>;

  /** Other packages pass their own codes and `name` (see `@hybridstate/telegram`'s errors). */
  constructor(
    code: C,
    message: string,
    options: { cause?: unknown; context?: Record<string, unknown>; name?: string } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = options.name ?? ERROR_NAMES[code as unknown as ErrorCode] ?? 'HybridStateError';
    this.code = code;
    this.context = Object.freeze({ ...options.context });
  }
}

/**
 * The registry of codes. Each entry names the error class and says when it is thrown.
 * A test checks that every code has a class and every class a code.
 */
export const ERROR_CODES = {
  HS_CONFIG_INVALID: 'An environment variable or option is malformed or half-set.',
  HS_KEYSPACE_INVALID: 'A key family definition is invalid or overlaps another family.',
  HS_KEY_INVALID: 'A key part is empty, too long, of the wrong type, or the family is unknown.',
  HS_TTL_INVALID: 'A TTL is not a positive safe integer of milliseconds, or is missing.',
  HS_VALUE_NOT_SERIALIZABLE: 'A value holds something the codec cannot store faithfully.',
  HS_VALUE_TOO_LARGE: 'An encoded value is larger than maxValueBytes.',
  HS_VALUE_INVALID: "A value does not match its family's schema.",
  HS_VALUE_REJECTED: 'PostgreSQL refused to store a value (for example a NUL character).',
  HS_CORRUPT_VALUE: 'A stored value cannot be decoded.',
  HS_TIER_UNAVAILABLE: 'A tier (Redis, PostgreSQL) is unreachable or timed out.',
  HS_UPDATE_CONFLICT: 'update() lost the race too many times in a row.',
  HS_LOCK_TIMEOUT: 'A key lock (lock()) could not be taken within waitMs.',
  HS_LOCK_LOST: 'A lock lease ran out before the write: the write was refused.',
  HS_STORE_CLOSED: 'The store was used after close().',
  HS_MIGRATION_FAILED: 'The schema migration could not be applied.',
} as const;

/** A stable error code. */
export type ErrorCode = keyof typeof ERROR_CODES;

const ERROR_NAMES: Record<ErrorCode, string> = {
  HS_CONFIG_INVALID: 'ConfigError',
  HS_KEYSPACE_INVALID: 'KeyspaceError',
  HS_KEY_INVALID: 'KeyError',
  HS_TTL_INVALID: 'TtlError',
  HS_VALUE_NOT_SERIALIZABLE: 'SerializationError',
  HS_VALUE_TOO_LARGE: 'ValueTooLargeError',
  HS_VALUE_INVALID: 'ValueValidationError',
  HS_VALUE_REJECTED: 'ValueRejectedError',
  HS_CORRUPT_VALUE: 'CorruptValueError',
  HS_TIER_UNAVAILABLE: 'TierUnavailableError',
  HS_UPDATE_CONFLICT: 'UpdateConflictError',
  HS_LOCK_TIMEOUT: 'LockTimeoutError',
  HS_LOCK_LOST: 'LockLostError',
  HS_STORE_CLOSED: 'StoreClosedError',
  HS_MIGRATION_FAILED: 'MigrationError',
};

/**
 * Narrow an unknown error to a {@link HybridStateError}, optionally of one code.
 *
 * @example
 * ```ts
 * if (isHybridStateError(error, 'HS_CORRUPT_VALUE')) log.error(error.context, 'corrupt');
 * ```
 */
export function isHybridStateError<C extends string = ErrorCode>(
  error: unknown,
  code?: C,
): error is HybridStateError<C> {
  return error instanceof HybridStateError && (code === undefined || error.code === code);
}

/** Shorthand used inside the package: build a typed error. */
export function hsError(
  code: ErrorCode,
  message: string,
  context?: Record<string, unknown>,
  cause?: unknown,
): HybridStateError {
  return new HybridStateError(code, message, {
    ...(context === undefined ? {} : { context }),
    ...(cause === undefined ? {} : { cause }),
  });
}
