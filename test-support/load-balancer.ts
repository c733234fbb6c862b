import { createServer, type Server, Socket } from 'node:net';
import { freePort } from './redis-server.ts';

/** A running {@link startLoadBalancer}. */
export interface LoadBalancer {
  readonly port: number;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Connections handed to each upstream port since the start (or the last `resetCounts`). */
  readonly counts: Map<number, number>;
  /** Connections no upstream accepted (every upstream refused). */
  readonly refused: number;
  /** Replace the upstream ports (new connections only). */
  setUpstreams(ports: readonly number[]): void;
  resetCounts(): void;
  close(): Promise<void>;
}

/**
 * A TCP round-robin load balancer for local fleets: each client connection goes to the next
 * upstream (HTTP keep-alive and WebSockets stay on the upstream they started on); an upstream
 * that refuses the connection is skipped and the next one tried, so a dead instance costs a
 * client nothing but the requests it had in flight. What nginx's `stream` module with
 * `proxy_next_upstream` does, without installing nginx.
 *
 * @example
 * ```ts
 * const lb = await startLoadBalancer([3001, 3002, 3003]);
 * await fetch(`${lb.url}/health`);
 * ```
 */
export async function startLoadBalancer(upstreams: readonly number[]): Promise<LoadBalancer> {
  const port = await freePort();
  const sockets = new Set<Socket>();
  const counts = new Map<number, number>();
  let ports = [...upstreams];
  let next = 0;
  let refused = 0;
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  const server: Server = createServer((client) => {
    track(client);
    client.pause();
    const order = ports.map((_, i) => ports[(next + i) % ports.length]!);
    next = (next + 1) % Math.max(1, ports.length);
    connectFirst(order, (upstream, upstreamPort) => {
      if (upstream === undefined) {
        refused++;
        return void client.destroy();
      }
      if (client.destroyed) return void upstream.destroy();
      track(upstream);
      counts.set(upstreamPort, (counts.get(upstreamPort) ?? 0) + 1);
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
      client.resume();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    counts,
    get refused() {
      return refused;
    },
    setUpstreams(list) {
      ports = [...list];
    },
    resetCounts: () => counts.clear(),
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Connect to the first port of `order` that accepts; `undefined` when none does. */
function connectFirst(
  order: readonly number[],
  done: (socket: Socket | undefined, port: number) => void,
  index = 0,
): void {
  const port = order[index];
  if (port === undefined) {
    done(undefined, 0);
    return;
  }
  const socket = new Socket();
  const fail = () => {
    socket.destroy();
    connectFirst(order, done, index + 1);
  };
  socket.once('error', fail);
  socket.connect(port, '127.0.0.1', () => {
    socket.off('error', fail);
    done(socket, port);
  });
}
