/**
 * Deep equality of JSON-like values, ignoring object key order (PostgreSQL's jsonb reorders
 * keys, so a value read back may list them differently than the backup file).
 *
 * @example
 * ```ts
 * sameValue({ a: 1, b: [2] }, { b: [2], a: 1 }); // true
 * ```
 */
export function sameValue(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}
