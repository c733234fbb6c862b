import { HybridStateError } from '@hybridstate/core';

/** Stable codes of @hybridstate/cli errors, with when each is thrown. */
export const CLI_ERROR_CODES = {
  HS_CLI_USAGE: 'An unknown command or option, or a missing or extra argument.',
  HS_CLI_CONNECT: 'Redis or PostgreSQL could not be reached or refused the credentials.',
  HS_CLI_BACKUP_INVALID: 'A backup folder misses a file, or a file is not the JSON it should be.',
} as const;

/** A stable @hybridstate/cli error code. */
export type CliErrorCode = keyof typeof CLI_ERROR_CODES;

const NAMES: Record<CliErrorCode, string> = {
  HS_CLI_USAGE: 'UsageError',
  HS_CLI_CONNECT: 'ConnectError',
  HS_CLI_BACKUP_INVALID: 'BackupError',
};

/** Exit code of each error: 2 for usage mistakes (as most Unix tools), 1 otherwise. */
export const EXIT_CODES: Record<CliErrorCode, number> = {
  HS_CLI_USAGE: 2,
  HS_CLI_CONNECT: 1,
  HS_CLI_BACKUP_INVALID: 1,
};

/**
 * Errors of the `hybridstate` command. The message is the one line printed to the user: what
 * went wrong and what to do.
 *
 * @example
 * ```ts
 * throw new CliError('HS_CLI_USAGE', 'Unknown command "docter". Run `hybridstate --help`.');
 * ```
 */
export class CliError extends HybridStateError<CliErrorCode> {
  constructor(
    code: CliErrorCode,
    message: string,
    context: Record<string, unknown> = {},
    cause?: unknown,
  ) {
    super(code, message, { context, name: NAMES[code], ...(cause === undefined ? {} : { cause }) });
  }
}
