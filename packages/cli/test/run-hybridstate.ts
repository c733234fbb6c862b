import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createRedisClient, Keyspace } from '@hybridstate/core';
import { dropKeyspace, TEST_REDIS_URL } from '../../../test-support/index.ts';

/** The `bin` entry, as `npx hybridstate` runs it. */
export const BIN = fileURLToPath(new URL('../bin/hybridstate.mjs', import.meta.url));

/** What one run of the command printed and returned. */
export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Run `hybridstate ...args` as a child process with exactly `env` (plus PATH and HOME), so
 * no variable of the test runner leaks in.
 */
export function runHybridstate(
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The JSON document a `--json` run printed. */
export function jsonOf<T = Record<string, unknown>>(run: CliRun): T {
  try {
    return JSON.parse(run.stdout) as T;
  } catch {
    throw new Error(`not JSON (exit ${run.code}): ${run.stdout}\n${run.stderr}`);
  }
}

/** Delete the Redis keys of every keyspace prefix a test handed to the command. */
export async function dropPrefixes(prefixes: Iterable<string>): Promise<void> {
  const redis = await createRedisClient(TEST_REDIS_URL);
  try {
    for (const prefix of prefixes) await dropKeyspace(redis, new Keyspace({ prefix }));
  } finally {
    redis.disconnect();
  }
}
