import { encodeValue } from '../codec/codec.ts';
import { hsError } from '../errors.ts';
import type { KeyRef } from '../keyspace/family.ts';

/**
 * Turn a value into stored text, or refuse it before anything is written: schema check,
 * faithful encoding, size limit.
 */
export function prepareValue(ref: KeyRef, value: unknown, maxValueBytes: number): string {
  const checked = validate(ref, value);
  let text: string;
  try {
    text = encodeValue(checked);
  } catch (error) {
    if (error instanceof Error)
      Object.assign(error, { message: `${error.message} Key: "${ref.key}".` });
    throw error;
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
