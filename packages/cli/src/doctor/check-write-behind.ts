import { WRITE_BEHIND_DEFAULTS, type WriteBehindStatus } from '@hybridstate/core';
import { type CheckResult, check } from './doctor-report.ts';

/** Pending writes older than this mean no flusher is keeping up (twice the default interval). */
export const MAX_HEALTHY_LAG_MS = 2 * WRITE_BEHIND_DEFAULTS.flushIntervalMs;

/**
 * Seed 004's "background sync is running" line, measured: pending buffered writes, the age
 * of the oldest, dead letters (writes PostgreSQL refused), the last flush failure.
 */
export function checkWriteBehind(
  status: WriteBehindStatus | undefined,
  prefix: string,
): CheckResult {
  if (status === undefined)
    return check('write-behind', 'skip', 'skipped: no Redis, so nothing is buffered');
  const lag = status.oldestPendingAgeMs;
  // Only what the journal in Redis says: flush counters are per process, and this one never flushed.
  const details = {
    pending: status.pending,
    oldestPendingAgeMs: lag,
    deadLetters: status.deadLetters,
  };
  const summary = `${status.pending} pending${lag === null ? '' : `, oldest ${Math.round(lag / 1000)} s`}, ${status.deadLetters} dead letters`;
  if (status.deadLetters > 0)
    return check(
      'write-behind',
      'fail',
      `${summary}: PostgreSQL refused ${status.deadLetters} buffered writes`,
      details,
      `read them with XRANGE {${prefix}:<shard>}:#wb:dead - + (shards 0-15), fix the values and write them again`,
    );
  if (lag !== null && lag > MAX_HEALTHY_LAG_MS)
    return check(
      'write-behind',
      'warn',
      `${summary}: older than ${MAX_HEALTHY_LAG_MS / 60_000} min, so no flusher is keeping up`,
      details,
      'check that a server with write-behind enabled is running, or run `hybridstate flush`',
    );
  return check('write-behind', 'ok', summary, details);
}
