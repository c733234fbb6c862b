/**
 * The audience of the fan-out bench: HS_CLIENTS socket.io clients of one server, in this
 * process. Prints "ready" once all are connected (and subscribed to bench.*, for the /sync
 * gateway), then one JSON line per event once every client has it: {seq, doneAt}.
 */
import { io, type Socket } from 'socket.io-client';
import { wallNow } from './sync-bench-events.ts';

const url = process.env.HS_URL!;
const path = process.env.HS_PATH!;
const count = Number(process.env.HS_CLIENTS);
const subscribe = process.env.HS_SUBSCRIBE === '1';
const received = new Map<number, number>();
const sockets: Socket[] = [];

function onEvent(event: { data: { seq: number } }): void {
  const seq = event.data.seq;
  const n = (received.get(seq) ?? 0) + 1;
  received.set(seq, n);
  if (n < count) return;
  received.delete(seq);
  process.stdout.write(`${JSON.stringify({ seq, doneAt: wallNow() })}\n`);
}

async function open(): Promise<Socket> {
  const socket = io(url, {
    path,
    transports: ['websocket'],
    auth: { token: process.env.HS_TOKEN },
    forceNew: true,
  });
  socket.on('sync:event', onEvent);
  await new Promise<void>((resolve, reject) => {
    socket.once(subscribe ? 'connected' : 'connect', () => resolve());
    socket.once('connect_error', reject);
  });
  if (subscribe) await socket.emitWithAck('subscribe', { events: ['bench.*'] });
  return socket;
}

// Connect in batches: a thousand handshakes at once would only measure the accept queue.
for (let i = 0; i < count; i += 50) {
  sockets.push(...(await Promise.all(Array.from({ length: Math.min(50, count - i) }, open))));
}
process.stdout.write('ready\n');
process.stdin.resume();
process.stdin.on('end', () => {
  for (const socket of sockets) socket.disconnect();
  process.exit(0);
});
