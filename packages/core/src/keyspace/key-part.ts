import { hsError } from '../errors.ts';

/** A value that may fill a `{param}` of a key template. */
export type KeyPart = string | number | bigint;

/** Longest encoded key part, in bytes. Longer parts are refused, never truncated. */
export const MAX_KEY_PART_BYTES = 512;

const NEEDS_ESCAPE = /[!'()*~]/g;
/** Parts made only of these characters encode to themselves (the common case: ids, hashes). */
const ALREADY_SAFE = /^[A-Za-z0-9_.-]*$/;

/**
 * Encode one user-supplied key part so it can never leave its segment: everything but
 * `A-Z a-z 0-9 _ . -` is percent-encoded (UTF-8), including `:`, `*`, `{`, `}`, `%` and
 * newlines. The encoding is injective, so two different parts never share a key.
 *
 * @example
 * ```ts
 * encodeKeyPart('a:b*'); // 'a%3Ab%2A'
 * ```
 */
export function encodeKeyPart(part: KeyPart, param: string): string {
  const raw = keyPartToString(part, param);
  const encoded = percentEncodeAll(raw, param);
  if (encoded.length > MAX_KEY_PART_BYTES) {
    throw hsError(
      'HS_KEY_INVALID',
      `Key part "${param}" is ${encoded.length} bytes once encoded; the limit is ${MAX_KEY_PART_BYTES}. Use a shorter identifier (hash long ones).`,
      { param, bytes: encoded.length },
    );
  }
  return encoded;
}

/** Reverse of {@link encodeKeyPart}. */
export function decodeKeyPart(encoded: string): string {
  return decodeURIComponent(encoded);
}

function keyPartToString(part: KeyPart, param: string): string {
  if (typeof part === 'bigint') return part.toString();
  if (typeof part === 'number') {
    if (Number.isSafeInteger(part)) return String(part);
    throw hsError('HS_KEY_INVALID', `Key part "${param}" must be a safe integer, got ${part}.`, {
      param,
    });
  }
  if (typeof part !== 'string') {
    throw hsError(
      'HS_KEY_INVALID',
      `Key part "${param}" must be a string, number or bigint, got ${describe(part)}.`,
      { param },
    );
  }
  if (part.length === 0) {
    throw hsError(
      'HS_KEY_INVALID',
      `Key part "${param}" is empty: an empty id would share one key between callers.`,
      { param },
    );
  }
  return part;
}

function percentEncodeAll(raw: string, param: string): string {
  if (ALREADY_SAFE.test(raw)) return raw;
  try {
    return encodeURIComponent(raw).replace(NEEDS_ESCAPE, percentEncode);
  } catch (cause) {
    // encodeURIComponent refuses lone UTF-16 surrogates: such a string is not valid text.
    throw hsError(
      'HS_KEY_INVALID',
      `Key part "${param}" is not valid Unicode text.`,
      { param },
      cause,
    );
  }
}

function percentEncode(char: string): string {
  return `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;
}

function describe(value: unknown): string {
  return value === null ? 'null' : typeof value;
}
