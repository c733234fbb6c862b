import { HybridStateError } from '@hybridstate/core';

/** Stable codes of @hybridstate/identity errors, with when each is thrown. */
export const IDENTITY_ERROR_CODES = {
  HS_CONTEXT_INVALID:
    'An application context definition is invalid (name, schema) or declared twice.',
  HS_CONTEXT_UNKNOWN: 'A stack was asked for an application context that is not configured.',
  HS_CACHE_UNKNOWN: 'An application cache name is not declared for the stack’s context.',
  HS_CACHE_LOAD_FAILED:
    'A getOrSet loader failed and no value within its grace period was there to serve instead.',
  HS_USER_NOT_FOUND: 'A user id does not exist in the identity schema.',
  HS_USER_EXISTS: 'A user with this email already exists.',
} as const;

/** A stable @hybridstate/identity error code. */
export type IdentityErrorCode = keyof typeof IDENTITY_ERROR_CODES;

const NAMES: Record<IdentityErrorCode, string> = {
  HS_CONTEXT_INVALID: 'ContextDefinitionError',
  HS_CONTEXT_UNKNOWN: 'UnknownContextError',
  HS_CACHE_UNKNOWN: 'UnknownCacheError',
  HS_CACHE_LOAD_FAILED: 'CacheLoadError',
  HS_USER_NOT_FOUND: 'UserNotFoundError',
  HS_USER_EXISTS: 'UserExistsError',
};

/** Errors of @hybridstate/identity: a {@link HybridStateError} with an identity code. */
export class IdentityError extends HybridStateError<IdentityErrorCode> {
  constructor(
    code: IdentityErrorCode,
    message: string,
    options: { context?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(code, message, { ...options, name: NAMES[code] });
  }
}
