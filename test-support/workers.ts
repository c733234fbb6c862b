import { spawn } from 'node:child_process';

/**
 * Run a TypeScript worker script in its own Node process (tsx) with extra environment, and
 * resolve the JSON it prints on stdout; reject with its stderr when it exits non-zero.
 */
export function runWorker<T>(file: string, env: Record<string, string>): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', file], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (err += chunk));
    child.on('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(out) as T)
        : reject(new Error(`worker ${file} exited ${code}: ${err.slice(-2000)}`)),
    );
  });
}
