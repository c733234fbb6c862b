import { encodeValue } from '../codec/codec.ts';
import { hsError } from '../errors.ts';
import type { KeyRef } from '../keyspace/family.ts';

/**
 * JSON escapes PostgreSQL's jsonb refuses: `\u0000`, and lone surrogates (JSON.stringify
 * escapes only unpaired ones), not preceded by an escaping backslash.
 */
const POSTGRES_UNSTORABLE = /(?:^|[^\\])(?:\\\\)*\\u(?:0000|d[89a-f][0-9a-f]{2})/i;

/**
 * Turn a value into stored text, or refuse it before anything is written: schema check,
 * faithful encoding, size limit.
 */
export function prepareValue(
  ref: KeyRef,
  value: unknown,
  maxValueBytes: number,
  encoded?: string,
): string {
  // A caller that already encoded the value (to compare it) saves the second encoding, unless a
  // schema may transform it.
  if (encoded !== undefined && ref.family.schema === undefined)
    return checkText(ref, encoded, maxValueBytes);
  const checked = validate(ref, value);
  let text: string;
  try {
    text = encodeValue(checked);
  } catch (error) {
    if (error instanceof Error)
      Object.assign(error, { message: `${error.message} Key: "${ref.key}".` });
    throw error;
  }
  return checkText(ref, text, maxValueBytes);
}

/** Refuse encoded text that PostgreSQL cannot store or that is too large. */
function checkText(ref: KeyRef, text: string, maxValueBytes: number): string {
  if (ref.family.durability !== 'ephemeral' && POSTGRES_UNSTORABLE.test(text)) {
    throw hsError(
      'HS_VALUE_REJECTED',
      `The value for "${ref.key}" holds a NUL character or a lone UTF-16 surrogate, which PostgreSQL's jsonb cannot store, and family "${ref.family.name}" is ${ref.family.durability}. Remove it (or use an ephemeral family); nothing was written.`,
      { key: ref.key, family: ref.family.name },
    );
  }
  const bytes = text.length <= maxValueBytes / 3 ? text.length : Buffer.byteLength(text);
  if (bytes > maxValueBytes) {
    throw hsError(
      'HS_VALUE_TOO_LARGE',
      `The value for "${ref.key}" is ${bytes} bytes encoded; the limit is ${maxValueBytes} (store option maxValueBytes). Store less per key or split it across keys.`,
      { key: ref.key, bytes, maxValueBytes },
    );
  }
  return text;
}

function validate(ref: KeyRef, value: unknown): unknown {
  const schema = ref.family.schema;
  if (schema === undefined) return value;
  const result = schema['~standard'].validate(value);
  if (result instanceof Promise) {
    throw hsError(
      'HS_CONFIG_INVALID',
      `The schema of family "${ref.family.name}" validates asynchronously; use a synchronous schema.`,
      { family: ref.family.name },
    );
  }
  if (result.issues === undefined) return result.value;
  const issues = result.issues
    .map((i) => `${(i.path ?? []).map(String).join('.') || '(root)'}: ${i.message}`)
    .join('; ');
  throw hsError(
    'HS_VALUE_INVALID',
    `The value for "${ref.key}" does not match the schema of family "${ref.family.name}": ${issues}.`,
    { key: ref.key, family: ref.family.name },
  );
}
