/** One field an admin changed. */
export interface FieldChange {
  readonly field: string;
  readonly old: unknown;
  readonly new: unknown;
}

/** Bookkeeping fields that change with every write and say nothing about the change. */
const IGNORED = new Set(['updatedAt', 'createdAt']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The fields that differ between an audit entry's old and new values (compared as JSON), or
 * `null` when they are not both objects (a creation, a deletion, a denied attempt).
 */
export function auditChanges(old: unknown, next: unknown): FieldChange[] | null {
  if (!isRecord(old) || !isRecord(next)) return null;
  const fields = [...new Set([...Object.keys(old), ...Object.keys(next)])];
  return fields
    .filter((field) => !IGNORED.has(field))
    .filter((field) => JSON.stringify(old[field]) !== JSON.stringify(next[field]))
    .map((field) => ({ field, old: old[field], new: next[field] }));
}

/** A value as one short line of JSON (`—` for nothing). */
export function showValue(value: unknown): string {
  if (value === undefined || value === null) return '—';
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}
