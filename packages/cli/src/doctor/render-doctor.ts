import type { CheckStatus, DoctorReport } from './doctor-report.ts';

const MARK: Record<CheckStatus, string> = { ok: 'ok  ', warn: 'WARN', fail: 'FAIL', skip: 'skip' };

/**
 * The report as text: one line per check, its fix indented below, and a verdict.
 *
 * @example
 * ```text
 * ok    redis         connected to 127.0.0.1:6379 via REDIS_URL in 1.2 ms (PING 0.2 ms, Redis 7.2.4)
 * FAIL  postgres      PostgreSQL at db:5432 rejected the credentials from DATABASE_URL
 *                     fix: copy the password in DATABASE_URL again from ...
 * ```
 */
export function renderDoctor(report: DoctorReport): string[] {
  const lines = [
    `hybridstate doctor (keyspace prefix "${report.prefix}", schema "${report.schema}")`,
  ];
  for (const c of report.checks) {
    lines.push(`${MARK[c.status]}  ${c.id.padEnd(13)} ${c.summary}`);
    if (c.fix !== undefined && (c.status === 'fail' || c.status === 'warn'))
      lines.push(`${' '.repeat(19)} fix: ${c.fix}`);
  }
  const count = (s: CheckStatus) => report.checks.filter((c) => c.status === s).length;
  const warnings = `${count('warn')} warning${count('warn') === 1 ? '' : 's'}`;
  lines.push(
    report.status === 'fail'
      ? `result: FAIL (${count('fail')} failed, ${warnings})`
      : report.status === 'warn'
        ? `result: ok with ${warnings}`
        : 'result: ok',
  );
  return lines;
}
