import { parseArgs } from 'node:util';
import type { Command, GlobalOptions } from './command.ts';
import { CliError } from './errors.ts';

/** Defaults of {@link GlobalOptions}: those of `Keyspace` and `PostgresTier`. */
export const GLOBAL_DEFAULTS: GlobalOptions = { json: false, prefix: 'hs', schema: 'hybridstate' };

const GLOBAL_OPTIONS = {
  json: { type: 'boolean' },
  prefix: { type: 'string' },
  schema: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** A command line parsed against one command's options. */
export interface ParsedCommandLine extends GlobalOptions {
  readonly help: boolean;
  readonly positionals: string[];
  readonly values: Record<string, string | boolean | undefined>;
}

/** The variable the server reads its key prefix from; `--prefix` defaults to it. */
export const PREFIX_VARIABLE = 'HS_KEY_PREFIX';

/**
 * Parse `args` (after the command name) strictly: an unknown option or a wrong number of
 * arguments is an `HS_CLI_USAGE` error naming the command's help. `--prefix` defaults to
 * `HS_KEY_PREFIX` from `env` (as the server reads it), then `hs`.
 */
export function parseCommandLine(
  command: Command,
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>> = {},
): ParsedCommandLine {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...args],
      options: { ...GLOBAL_OPTIONS, ...command.options },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw usage(command, error instanceof Error ? firstSentence(error.message) : String(error));
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  const help = values.help === true;
  const { min, max, names } = command.positionals;
  if (!help && (parsed.positionals.length < min || parsed.positionals.length > max)) {
    const what =
      parsed.positionals.length < min
        ? `needs ${names}`
        : `takes ${max === 0 ? 'no arguments' : `at most ${names}`}`;
    throw usage(command, `"hybridstate ${command.name}" ${what}`);
  }
  return {
    help,
    json: values.json === true,
    prefix: prefixOf(values.prefix, env[PREFIX_VARIABLE], command),
    schema: checkName('schema', values.schema, GLOBAL_DEFAULTS.schema, SCHEMA, command),
    positionals: parsed.positionals,
    values,
  };
}

const PREFIX = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;
const SCHEMA = /^[a-z_][a-z0-9_]{0,62}$/;

function checkName(
  option: string,
  value: unknown,
  fallback: string,
  pattern: RegExp,
  command: Command,
): string {
  if (value === undefined) return fallback;
  if (typeof value === 'string' && pattern.test(value)) return value;
  throw usage(command, `--${option} must match ${pattern}, got "${String(value)}"`);
}

function prefixOf(option: unknown, variable: string | undefined, command: Command): string {
  if (option !== undefined || variable === undefined || variable.trim() === '')
    return checkName('prefix', option, GLOBAL_DEFAULTS.prefix, PREFIX, command);
  const value = variable.trim();
  if (PREFIX.test(value)) return value;
  throw new CliError(
    'HS_CLI_USAGE',
    `${PREFIX_VARIABLE}="${value}" is not a valid key prefix (it must match ${PREFIX}): fix or unset it, or pass --prefix.`,
    { command: command.name, variable: PREFIX_VARIABLE },
  );
}

function usage(command: Command, problem: string): CliError {
  return new CliError(
    'HS_CLI_USAGE',
    `${problem}. Usage: hybridstate ${command.usage} (see hybridstate ${command.name} --help).`,
    { command: command.name },
  );
}

function firstSentence(message: string): string {
  return message
    .split('\n')[0]!
    .replace(/\.$/, '')
    .replace(/\. To specify.*$/, '');
}
