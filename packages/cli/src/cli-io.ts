import type { Env } from '@hybridstate/core';

/**
 * What a command may touch of the outside world. The `bin/hybridstate.mjs` entry passes the
 * process's environment and streams; tests pass their own. Nothing in `src/` reads the
 * environment or writes to the console directly.
 */
export interface CliIo {
  readonly env: Env;
  /** Write a line (or a JSON document) to standard output. */
  out(text: string): void;
  /** Write a line to standard error. */
  err(text: string): void;
  /** The stream a progress bar may draw on, when it is a terminal. */
  readonly progressStream?: NodeJS.WriteStream | undefined;
}

/** Print `value` as pretty JSON on one document. */
export function printJson(io: CliIo, value: unknown): void {
  io.out(JSON.stringify(value, null, 2));
}
