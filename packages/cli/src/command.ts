import type { ParseArgsConfig } from 'node:util';
import type { CliIo } from './cli-io.ts';

/** Options every command accepts. */
export interface GlobalOptions {
  /** Print one JSON document instead of text. */
  readonly json: boolean;
  /** Keyspace prefix of the app's keys (its `new Keyspace({ prefix })`). */
  readonly prefix: string;
  /** PostgreSQL schema of the store's tables (`PostgresTier`'s `schema`). */
  readonly schema: string;
}

/** What a command runs with: its parsed arguments and the outside world. */
export interface CommandContext extends GlobalOptions {
  readonly io: CliIo;
  readonly positionals: readonly string[];
  readonly values: Readonly<Record<string, string | boolean | undefined>>;
}

/** One `hybridstate` subcommand. */
export interface Command {
  readonly name: string;
  /** One line for `hybridstate --help`. */
  readonly summary: string;
  /** Usage line after `hybridstate`, e.g. `import <dir> [--apply]`. */
  readonly usage: string;
  /** Lines describing its own options. */
  readonly help: readonly string[];
  readonly options: NonNullable<ParseArgsConfig['options']>;
  readonly positionals: { readonly min: number; readonly max: number; readonly names: string };
  /** Run; resolve with the exit code. Throw a `CliError` for a one-line failure. */
  run(context: CommandContext): Promise<number>;
}
