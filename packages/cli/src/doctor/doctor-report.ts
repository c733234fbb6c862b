/** Outcome of one check: `skip` when an earlier failure makes it meaningless. */
export type CheckStatus = 'ok' | 'warn' | 'fail' | 'skip';

/** Stable ids of doctor's checks, in the order they run. */
export const CHECK_IDS = [
  'config',
  'redis',
  'postgres',
  'roundtrip',
  'pubsub',
  'write-behind',
  'keyspace',
] as const;

/** One of {@link CHECK_IDS}. */
export type CheckId = (typeof CHECK_IDS)[number];

/** One line of the report. */
export interface CheckResult {
  readonly id: CheckId;
  readonly status: CheckStatus;
  /** One line: what was found. */
  readonly summary: string;
  /** One line: what to do, when status is `warn` or `fail`. */
  readonly fix?: string;
  /** Figures behind the summary (latencies, counts, variable names); never secrets. */
  readonly details: Readonly<Record<string, unknown>>;
}

/**
 * What `hybridstate doctor --json` prints. The shape is stable: `version` changes if it ever
 * changes incompatibly; checks are added, never renamed.
 */
export interface DoctorReport {
  readonly version: 1;
  /** `fail` if any check failed, else `warn` if any warned, else `ok`. */
  readonly status: 'ok' | 'warn' | 'fail';
  readonly prefix: string;
  readonly schema: string;
  readonly checks: readonly CheckResult[];
}

/** Build a check result. */
export function check(
  id: CheckId,
  status: CheckStatus,
  summary: string,
  details: Record<string, unknown> = {},
  fix?: string,
): CheckResult {
  return fix === undefined
    ? { id, status, summary, details }
    : { id, status, summary, fix, details };
}

/** A check that did not run, and why. */
export function skipped(id: CheckId, why: string): CheckResult {
  return check(id, 'skip', `skipped: ${why}`);
}

/** The overall status of a set of checks. */
export function overallStatus(checks: readonly CheckResult[]): DoctorReport['status'] {
  if (checks.some((c) => c.status === 'fail')) return 'fail';
  return checks.some((c) => c.status === 'warn') ? 'warn' : 'ok';
}
