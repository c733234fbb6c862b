import { isHybridStateError } from '@hybridstate/core';
import type { CliIo } from './cli-io.ts';
import type { Command } from './command.ts';
import { doctorCommand } from './commands/doctor-command.ts';
import { flushCommand } from './commands/flush-command.ts';
import { importCommand } from './commands/import-command.ts';
import { keysCommand } from './commands/keys-command.ts';
import { migrateCommand } from './commands/migrate-command.ts';
import { CliError, EXIT_CODES } from './errors.ts';
import { parseCommandLine } from './parse-command-line.ts';

/** Every subcommand, in help order. */
export const COMMANDS: readonly Command[] = [
  doctorCommand,
  migrateCommand,
  flushCommand,
  keysCommand,
  importCommand,
];

/**
 * Run `hybridstate <command> [args]` and resolve with the exit code: 0 success, 1 failure (a
 * failed check, an unreachable server, a bad backup), 2 a usage mistake. Every failure is one
 * line on stderr that says what to do; nothing is thrown.
 *
 * @example
 * ```ts
 * process.exitCode = await runCli(process.argv.slice(2), io);
 * ```
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    for (const line of generalHelp()) io.out(line);
    return name === undefined ? 2 : 0;
  }
  try {
    const command = COMMANDS.find((c) => c.name === name);
    if (command === undefined) throw unknownCommand(name);
    const parsed = parseCommandLine(command, args, io.env);
    if (parsed.help) {
      for (const line of commandHelp(command)) io.out(line);
      return 0;
    }
    return await command.run({ ...parsed, io });
  } catch (error) {
    io.err(`hybridstate: ${oneLine(error)}`);
    return error instanceof CliError ? EXIT_CODES[error.code] : 1;
  }
}

function oneLine(error: unknown): string {
  if (isHybridStateError(error)) return error.message;
  const message = error instanceof Error ? error.message : String(error);
  return `unexpected error: ${message.split('\n')[0]} (please report it with the command you ran)`;
}

function unknownCommand(name: string): CliError {
  const near = COMMANDS.find((c) => distance(c.name, name) <= 2);
  const hint = near === undefined ? '' : ` Did you mean "${near.name}"?`;
  return new CliError(
    'HS_CLI_USAGE',
    `Unknown command "${name}".${hint} Commands: ${COMMANDS.map((c) => c.name).join(', ')} (see hybridstate --help).`,
  );
}

function generalHelp(): string[] {
  return [
    'Usage: hybridstate <command> [options]',
    '',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(8)} ${c.summary}`),
    '',
    'Options of every command:',
    '  --json           print one JSON document',
    '  --prefix <p>     keyspace prefix of the app (default: HS_KEY_PREFIX, else hs)',
    '  --schema <name>  PostgreSQL schema of the store (default hybridstate)',
    "  -h, --help       this help, or a command's",
    '',
    'Connections come from the environment, as the server reads them: REDIS_URL, REDIS_PUBLIC_URL,',
    'REDISHOST/REDISPORT/REDISUSER/REDISPASSWORD, REDIS_HOST...; DATABASE_URL, DATABASE_PUBLIC_URL, PGHOST...',
  ];
}

function commandHelp(command: Command): string[] {
  return [
    `Usage: hybridstate ${command.usage}`,
    '',
    command.summary,
    ...command.help.map((l) => `  ${l}`),
  ];
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}
