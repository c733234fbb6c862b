/**
 * The `hybridstate` command's entry point: the one file that touches the process (its
 * arguments, environment, output streams and exit code).
 */
import { runCli } from './run-cli.ts';

process.exitCode = await runCli(process.argv.slice(2), {
  env: process.env,
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  progressStream: process.stderr,
});
