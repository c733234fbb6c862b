import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MessageBus, RedisClient } from '@hybridstate/core';
import { io as connectClient, type Socket } from 'socket.io-client';
import {
  adminTokenAuthenticator,
  anyOf,
  attachSyncGateway,
  miniAppAuthenticator,
  type SyncGateway,
  type SyncGatewayOptions,
  SyncService,
} from '../../src/index.ts';

/** The bot token test Mini App users are signed with. */
export const TEST_BOT_TOKEN = '123456:TEST-token-for-sync';
/** The admin token the test gateways accept. */
export const TEST_ADMIN_TOKEN = 'admin-secret-token';

/** An HTTP server with a /sync gateway on a free loopback port. */
export interface GatewayFixture {
  readonly url: string;
  readonly server: Server;
  readonly service: SyncService;
  readonly gateway: SyncGateway;
  close(): Promise<void>;
}

/** Start a gateway (admin token + Mini App auth) over `bus` (default: local-only). */
export async function startGateway(
  options: { bus?: MessageBus; redis?: RedisClient; gateway?: Partial<SyncGatewayOptions> } = {},
): Promise<GatewayFixture> {
  const server = createServer();
  const service = new SyncService(options.bus === undefined ? {} : { bus: options.bus });
  const gateway = attachSyncGateway(server, {
    service,
    authenticate: anyOf(
      adminTokenAuthenticator([TEST_ADMIN_TOKEN]),
      miniAppAuthenticator({ botToken: TEST_BOT_TOKEN }),
    ),
    ...(options.redis === undefined ? {} : { redis: options.redis }),
    ...options.gateway,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    service,
    gateway,
    async close() {
      await gateway.close();
      await service.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A raw socket.io client that records what the server sends. */
export interface TestClient {
  readonly socket: Socket;
  readonly events: { type: string; data: unknown; id: string; ts: number }[];
  readonly errors: { code: string; message: string }[];
  readonly connectedFrames: unknown[];
  /** Send subscribe/unsubscribe and resolve with the ack. */
  frame(name: 'subscribe' | 'unsubscribe', events: unknown): Promise<unknown>;
  close(): void;
}

/** Connect and wait for the `connected` frame (rejects with the handshake refusal). */
export async function connect(url: string, auth: Record<string, unknown>): Promise<TestClient> {
  const socket = connectClient(url, {
    path: '/sync',
    auth,
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  const client: TestClient = {
    socket,
    events: [],
    errors: [],
    connectedFrames: [],
    frame: (name, events) => socket.timeout(5000).emitWithAck(name, { events }),
    close: () => socket.disconnect(),
  };
  socket.on('sync:event', (event) => client.events.push(event));
  socket.on('sync:error', (error) => client.errors.push(error));
  await new Promise<void>((resolve, reject) => {
    socket.on('connected', (frame) => {
      client.connectedFrames.push(frame);
      resolve();
    });
    socket.once('connect_error', (error) => {
      socket.disconnect();
      reject(error);
    });
  });
  return client;
}

/** Poll until `condition` holds (no timing assertion: it fails only after 10 s). */
export async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met within the time limit');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
