import { z } from 'zod';
import { PlatformError } from './platform-errors.ts';

/**
 * Parse `input` with `schema`, or throw `VALIDATION_FAILED` whose message names the first
 * problem (`amountMinor: Too small...`) and whose details list every issue.
 */
export function validate<S extends z.ZodType>(
  schema: S,
  input: unknown,
  what = 'input',
): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
  const first = issues[0];
  const where = first === undefined || first.path === '' ? what : first.path;
  throw new PlatformError(
    'VALIDATION_FAILED',
    `Invalid ${what}: ${where}: ${first?.message ?? 'rejected'}.`,
    issues,
  );
}

/** `?limit=50&offset=0`: limit 1..200 (default 50), offset >= 0 (default 0). */
export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000_000).default(0),
});

/** A positive integer id from a route parameter. */
export const idParam = z.object({ id: z.coerce.number().int().min(1).max(2_147_483_647) });
