import { hsError } from '../errors.ts';

/**
 * Values are stored as readable JSON. Types JSON cannot express are written as tagged
 * objects `{"$t": "<type>", "v": <payload>}`:
 *
 * | JS value    | stored as                                   |
 * |-------------|---------------------------------------------|
 * | `Date`      | `{"$t":"Date","v":"2026-01-02T03:04:05.000Z"}` |
 * | `BigInt`    | `{"$t":"BigInt","v":"123"}`                 |
 * | `Map`       | `{"$t":"Map","v":[[key, value], ...]}`      |
 * | `Set`       | `{"$t":"Set","v":[value, ...]}`             |
 * | `Buffer`/`Uint8Array` | `{"$t":"Buffer","v":"<base64>"}`  |
 * | an object that has its own `$t` key | `{"$t":"Object","v":{...}}` |
 *
 * Anything else that JSON would silently change (functions, symbols, `undefined` as a
 * top-level value, `NaN`, `Infinity`, cycles, class instances) is refused with
 * `HS_VALUE_NOT_SERIALIZABLE` instead of being stored wrong.
 */
export const TAG = '$t';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * Encode a value to its stored JSON text.
 *
 * @example
 * ```ts
 * encodeValue({ at: new Date(0) }); // '{"at":{"$t":"Date","v":"1970-01-01T00:00:00.000Z"}}'
 * ```
 */
export function encodeValue(value: unknown): string {
  if (value === undefined) {
    throw notSerializable('undefined', '', 'store null, or delete the key instead');
  }
  try {
    // Fast path: plain JSON data (the common case) needs no tags, only JSON.stringify.
    return JSON.stringify(isPlainJson(value, 0) ? value : toJson(value, '', new Set()));
  } catch (error) {
    if (error instanceof RangeError)
      throw notSerializable('a value nested too deeply', '', 'flatten it');
    throw error;
  }
}

/**
 * Decode stored JSON text. Throws `HS_CORRUPT_VALUE` naming `key` when the text is not
 * valid JSON or a tag is malformed; it never returns `{}` for bad data.
 */
export function decodeValue(text: string, key: string): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw corrupt(key, 'it is not valid JSON', cause);
  }
  // Fast path: most values carry no tagged types (nor a "__proto__" key) at all.
  if (!text.includes('"$t"') && !text.includes('"__proto__"')) return parsed;
  try {
    return revive(parsed, key);
  } catch (error) {
    if (error instanceof RangeError) throw corrupt(key, 'it is nested too deeply to decode', error);
    throw error;
  }
}

/**
 * True when JSON.stringify would store `value` exactly as the tagging encoder does: strings,
 * booleans, finite numbers, null, arrays and plain objects without a `$t` key. Anything else
 * (and very deep data, where cycles could hide) takes the slow path, which tags or refuses it.
 */
function isPlainJson(value: unknown, depth: number): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'undefined':
      return depth > 0; // dropped in objects, null in arrays: the same in both encoders
    case 'object':
      return value === null || (depth < 64 && isPlainContainer(value, depth + 1));
    default:
      return false;
  }
}

function isPlainContainer(value: object, depth: number): boolean {
  if (Array.isArray(value)) return value.every((item) => isPlainJson(item, depth));
  const proto = Object.getPrototypeOf(value);
  if (
    (proto !== Object.prototype && proto !== null) ||
    Object.hasOwn(value, TAG) ||
    Object.hasOwn(value, '__proto__')
  )
    return false;
  for (const key in value)
    if (!isPlainJson((value as Record<string, unknown>)[key], depth)) return false;
  return true;
}

function toJson(value: unknown, path: string, seen: Set<object>): Json {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      if (!Number.isFinite(value)) throw notSerializable(String(value), path, 'store null instead');
      return value;
    case 'bigint':
      return { [TAG]: 'BigInt', v: value.toString() };
    case 'object':
      return value === null ? null : objectToJson(value, path, seen);
    default:
      throw notSerializable(typeof value, path, 'store plain data only');
  }
}

function objectToJson(value: object, path: string, seen: Set<object>): Json {
  if (seen.has(value)) throw notSerializable('a circular reference', path, 'break the cycle');
  if (value instanceof Date) return dateToJson(value, path);
  if (value instanceof Uint8Array) {
    return {
      [TAG]: 'Buffer',
      v: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64'),
    };
  }
  seen.add(value);
  try {
    return containerToJson(value, path, seen);
  } finally {
    seen.delete(value);
  }
}

function containerToJson(value: object, path: string, seen: Set<object>): Json {
  if (Array.isArray(value)) {
    return value.map((item, i) =>
      item === undefined ? null : toJson(item, `${path}[${i}]`, seen),
    );
  }
  if (value instanceof Map) {
    const pairs = [...value].map(([k, v], i) => [
      toJson(k, `${path}<key ${i}>`, seen),
      toJson(v, `${path}<${i}>`, seen),
    ]);
    return { [TAG]: 'Map', v: pairs };
  }
  if (value instanceof Set) {
    return { [TAG]: 'Set', v: [...value].map((v, i) => toJson(v, `${path}<${i}>`, seen)) };
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    const name = (value as { constructor?: { name?: string } }).constructor?.name ?? 'unknown';
    throw notSerializable(`an instance of ${name}`, path, 'convert it to a plain object first');
  }
  return plainObjectToJson(value as Record<string, unknown>, path, seen);
}

function plainObjectToJson(value: Record<string, unknown>, path: string, seen: Set<object>): Json {
  const out: Record<string, Json> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined) continue; // as JSON does: an undefined property is an absent property
    setOwn(out, k, toJson(v, path === '' ? k : `${path}.${k}`, seen));
  }
  return Object.hasOwn(value, TAG) ? { [TAG]: 'Object', v: out } : out;
}

function dateToJson(value: Date, path: string): Json {
  if (Number.isNaN(value.getTime()))
    throw notSerializable('an invalid Date', path, 'store a valid Date');
  return { [TAG]: 'Date', v: value.toISOString() };
}

function revive(node: unknown, key: string): unknown {
  if (Array.isArray(node)) return node.map((item) => revive(item, key));
  if (node === null || typeof node !== 'object') return node;
  const record = node as Record<string, unknown>;
  if (Object.hasOwn(record, TAG)) return reviveTagged(record, key);
  return reviveObject(record, key);
}

function reviveTagged(record: Record<string, unknown>, key: string): unknown {
  const payload = record.v;
  switch (record[TAG]) {
    case 'Date':
      return reviveDate(payload, key);
    case 'BigInt':
      if (typeof payload === 'string' && /^-?\d+$/.test(payload)) return BigInt(payload);
      break;
    case 'Buffer':
      if (typeof payload === 'string') return Buffer.from(payload, 'base64');
      break;
    case 'Map':
      if (Array.isArray(payload) && payload.every(isPair))
        return new Map(payload.map(([k, v]) => [revive(k, key), revive(v, key)]));
      break;
    case 'Set':
      if (Array.isArray(payload)) return new Set(payload.map((v) => revive(v, key)));
      break;
    case 'Object':
      if (payload !== null && typeof payload === 'object' && !Array.isArray(payload))
        return reviveObject(payload, key);
      break;
  }
  throw corrupt(key, `it holds a malformed "${TAG}" tag (${JSON.stringify(record[TAG])})`);
}

function reviveObject(payload: object, key: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(payload)) setOwn(out, k, revive(v, key));
  return out;
}

/** Assign an own property, also when it is named `__proto__` (plain assignment would set the prototype). */
function setOwn(target: Record<string, unknown>, name: string, value: unknown): void {
  if (name === '__proto__')
    Object.defineProperty(target, name, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  else target[name] = value;
}

function reviveDate(payload: unknown, key: string): Date {
  const date = typeof payload === 'string' ? new Date(payload) : new Date(Number.NaN);
  if (Number.isNaN(date.getTime())) throw corrupt(key, 'it holds an invalid Date');
  return date;
}

function isPair(item: unknown): item is [unknown, unknown] {
  return Array.isArray(item) && item.length === 2;
}

function notSerializable(what: string, path: string, fix: string) {
  const where = path === '' ? 'the value' : `the value at "${path}"`;
  return hsError('HS_VALUE_NOT_SERIALIZABLE', `Cannot store ${what} (${where}): ${fix}.`, { path });
}

function corrupt(key: string, why: string, cause?: unknown) {
  return hsError(
    'HS_CORRUPT_VALUE',
    `The value stored at "${key}" is corrupt: ${why}. Delete or repair the key; nothing was returned for it.`,
    { key },
    cause,
  );
}
