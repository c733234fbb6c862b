/**
 * The `hybridstate` command's entry point: the one file that touches the process (its
 * arguments, environment, output streams and exit code).
 */
import { runCli } from './run-cli.ts';

const code = await runCli(process.argv.slice(2), {
  env: process.env,
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  progressStream: process.stderr,
});
// Exit once the output is flushed: a client still reconnecting or a timer in a driver must not
// keep a finished command alive.
process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
