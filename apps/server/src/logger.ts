import { type Logger, pino } from 'pino';

/**
 * The server's logger: JSON lines (one object per line, for Railway's log search and any
 * collector), or pino-pretty's readable lines when stdout is a terminal or `LOG_PRETTY=1`.
 * `LOG_LEVEL` sets the level (default `info`).
 */
export function createLogger(
  env: Readonly<Record<string, string | undefined>>,
  isTty: boolean,
): Logger {
  const level = env.LOG_LEVEL ?? 'info';
  const pretty = env.LOG_PRETTY === undefined ? isTty : env.LOG_PRETTY === '1';
  return pretty
    ? pino({ level, transport: { target: 'pino-pretty', options: { ignore: 'pid,hostname' } } })
    : pino({ level });
}
