import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/** A long-running worker process driven by JSON lines on stdin/stdout. */
export interface NodeProcess {
  /** What the worker printed first (its address). */
  readonly hello: Record<string, unknown>;
  /** Send a command; resolves with the worker's answer. */
  request<T = unknown>(command: Record<string, unknown>): Promise<T>;
  /** Ask the worker to exit and wait for it. */
  stop(): Promise<void>;
}

/** Start `file` under tsx with `env`; resolves once it printed its first line. */
export async function startNodeProcess(
  file: string,
  env: Record<string, string>,
): Promise<NodeProcess> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', file], {
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const pending = new Map<number, (value: unknown) => void>();
  const lines = createInterface({ input: child.stdout! });
  const hello = new Promise<Record<string, unknown>>((resolve, reject) => {
    child.once('exit', (code) =>
      reject(new Error(`worker exited ${code}: ${stderr.slice(-2000)}`)),
    );
    lines.once('line', (line) => resolve(JSON.parse(line)));
  });
  lines.on('line', (line) => {
    const message = JSON.parse(line) as { id?: number; result?: unknown };
    if (message.id !== undefined) pending.get(message.id)?.(message.result);
  });
  let next = 0;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    hello: await hello,
    request<T>(command: Record<string, unknown>) {
      const id = next++;
      return new Promise<T>((resolve) => {
        pending.set(id, resolve as (value: unknown) => void);
        child.stdin!.write(`${JSON.stringify({ ...command, id })}\n`);
      });
    },
    async stop() {
      if (child.exitCode === null) child.stdin!.end();
      await exited;
    },
  };
}
