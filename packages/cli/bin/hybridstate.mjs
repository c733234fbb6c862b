#!/usr/bin/env node
// The `hybridstate` command's entry point: the one file that touches the process (its
// arguments, environment, output streams and exit code). No build step: the TypeScript below
// runs through tsx's loader, in this process.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src/run-cli.ts');
const code = await runCli(process.argv.slice(2), {
  env: process.env,
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  progressStream: process.stderr,
});
// Exit once the output is flushed: a client still reconnecting or a timer in a driver must not
// keep a finished command alive.
process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
