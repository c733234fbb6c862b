import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A redis-server process owned by a test, on its own port. */
export interface RedisServer {
  readonly port: number;
  readonly url: string;
  /** Start (or restart) the server and wait until it accepts connections. */
  start(): Promise<void>;
  /** Stop it (SIGTERM) and wait for the exit. */
  stop(): Promise<void>;
  /** Kill it (SIGKILL): no chance to save anything, like a crash. */
  kill(): Promise<void>;
  /** Freeze it (SIGSTOP): connections stay open but nothing answers. */
  pause(): void;
  /** Resume a paused server. */
  resume(): void;
}

/**
 * A TCP port nobody listens on right now, below the kernel's ephemeral range (32768-60999
 * here). Servers in tests start (and restart) on such a port some time after it was chosen; a
 * port from the ephemeral range could meanwhile be given to an outgoing connection as its local
 * port, and the server would fail with EADDRINUSE (seen in the fleet test).
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (await canListen(port)) return port;
  }
  throw new Error('No free TCP port between 20000 and 32000.');
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, () => server.close(() => resolve(true)));
  });
}

/**
 * Start a throwaway `redis-server` (no persistence unless `args` asks for it) on a free port.
 * Never touches the shared server on 6379.
 */
/** Servers still running; killed when the test process exits, even if a test forgot to stop one. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export async function startRedisServer(args: string[] = []): Promise<RedisServer> {
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'hs-redis-'));
  let child: ChildProcess | undefined;
  const signal = async (name: 'SIGTERM' | 'SIGKILL') => {
    const running = child;
    child = undefined;
    if (running === undefined || running.exitCode !== null) return;
    running.kill('SIGCONT');
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill(name);
    await exited;
  };
  const server: RedisServer = {
    port,
    url: `redis://127.0.0.1:${port}`,
    async start() {
      child = spawn(
        'redis-server',
        [
          '--port',
          String(port),
          '--bind',
          '127.0.0.1',
          '--save',
          '',
          '--appendonly',
          'no',
          '--dir',
          dir,
          ...args,
        ],
        { stdio: 'ignore' },
      );
      const started = child;
      running.add(started);
      started.once('exit', () => running.delete(started));
      reapWithThisProcess(started);
      await waitForPort(port);
    },
    stop: () => signal('SIGTERM'),
    kill: () => signal('SIGKILL'),
    pause() {
      child?.kill('SIGSTOP');
    },
    resume() {
      child?.kill('SIGCONT');
    },
  };
  await server.start();
  return server;
}

async function waitForPort(port: number, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await canConnect(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`redis-server did not start on port ${port} within ${timeoutMs} ms`);
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.connect(port, '127.0.0.1');
  });
}

/**
 * A test worker killed by the runner fires no 'exit' event, so its servers would outlive it:
 * a detached shell watches both and kills the server once this process is gone.
 */
function reapWithThisProcess(server: ChildProcess): void {
  if (server.pid === undefined) return;
  const watch = `while kill -0 ${process.pid} 2>/dev/null && kill -0 ${server.pid} 2>/dev/null; do sleep 1; done; kill -9 ${server.pid} 2>/dev/null`;
  spawn('sh', ['-c', watch], { detached: true, stdio: 'ignore' }).unref();
}
