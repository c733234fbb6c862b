import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type GatewayFixture,
  startGateway,
  TEST_ADMIN_TOKEN,
  waitFor,
} from '../../sync/test/support/gateway-fixture.ts';
import { miniAppAuth } from '../../sync/test/support/mini-app.ts';
import { SyncClient, type SyncErrorFrame, type SyncEvent } from '../src/index.ts';

let fixture: GatewayFixture;
const clients: SyncClient[] = [];
beforeEach(async () => {
  fixture = await startGateway();
});
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await fixture.close();
});

function open(auth: Record<string, unknown> | (() => Record<string, unknown>)) {
  const client = new SyncClient({
    url: fixture.url,
    auth,
    transports: ['websocket'],
    reconnectDelayMs: 50,
    reconnectDelayMaxMs: 200,
  });
  clients.push(client);
  return client;
}

/** Cut every connection below socket.io, as a network drop would: the clients reconnect. */
function dropConnections(): void {
  for (const socket of fixture.gateway.io.sockets.sockets.values()) socket.conn.close();
}

describe('SyncClient against a real gateway', () => {
  it('subscribes before connecting, receives matching events, and refetches on every connected', async () => {
    const client = open({ token: TEST_ADMIN_TOKEN });
    const events: SyncEvent[] = [];
    let connects = 0;
    client.onConnected(() => connects++);
    client.subscribe(['buttons.*'], (event) => events.push(event));
    await waitFor(() => client.connected);
    await waitFor(() => fixture.gateway.io.sockets.adapter.rooms.has('s:a:buttons.*'));
    await fixture.service.publish('tasks.created', { id: 1 });
    await fixture.service.publish('buttons.updated', { id: 2 });
    await waitFor(() => events.length === 1);
    expect(events[0]).toMatchObject({ type: 'buttons.updated', data: { id: 2 } });
    expect(connects).toBe(1);
  });

  it('reconnects with backoff after a network drop, resubscribes and asks for a refetch', async () => {
    let credentialsAsked = 0;
    const client = open(() => {
      credentialsAsked++;
      return { token: TEST_ADMIN_TOKEN };
    });
    const events: SyncEvent[] = [];
    const statuses: boolean[] = [];
    let connects = 0;
    client.onConnected(() => connects++);
    client.onStatus((up) => statuses.push(up));
    client.subscribe('tasks.*', (event) => events.push(event));
    await waitFor(() => fixture.gateway.io.sockets.adapter.rooms.has('s:a:tasks.*'));
    dropConnections();
    await waitFor(() => connects === 2);
    await waitFor(() => fixture.gateway.io.sockets.adapter.rooms.has('s:a:tasks.*'));
    await fixture.service.publish('tasks.updated', { id: 'after' });
    await waitFor(() => events.length === 1);
    expect(statuses).toEqual([true, false, true]);
    expect(credentialsAsked).toBe(2); // a fresh credential for each connection
  });

  it('comes back after the server closed the socket (rate limit, expired credential)', async () => {
    const client = open({ token: TEST_ADMIN_TOKEN });
    let connects = 0;
    client.onConnected(() => connects++);
    await waitFor(() => client.connected);
    for (const socket of fixture.gateway.io.sockets.sockets.values()) socket.disconnect(true);
    await waitFor(() => connects === 2);
    expect(client.connected).toBe(true);
    client.disconnect(); // a close the app asked for stays closed
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(client.connected).toBe(false);
    expect(connects).toBe(2);
  });

  it('unsubscribes when the last handler of a pattern leaves', async () => {
    const client = open({ token: TEST_ADMIN_TOKEN });
    const a: string[] = [];
    const b: string[] = [];
    const stopA = client.subscribe('tasks.*', (e) => a.push(e.type));
    const stopB = client.subscribe('tasks.*', (e) => b.push(e.type));
    await waitFor(() => fixture.gateway.io.sockets.adapter.rooms.has('s:a:tasks.*'));
    stopA();
    await fixture.service.publish('tasks.created', { id: 1 });
    await waitFor(() => b.length === 1);
    stopB();
    await waitFor(() => !fixture.gateway.io.sockets.adapter.rooms.has('s:a:tasks.*'));
    expect(a).toEqual([]);
  });

  it('reports refused subscriptions and refused handshakes through onError', async () => {
    const client = open({ token: TEST_ADMIN_TOKEN });
    const errors: SyncErrorFrame[] = [];
    client.onError((error) => errors.push(error));
    client.subscribe('orders.created', () => undefined);
    await waitFor(() => errors.length === 1);
    expect(errors[0]?.code).toBe('HS_SYNC_UNKNOWN_EVENT');

    const refused = open(miniAppAuth(1, { botToken: '1:wrong' }));
    const refusals: SyncErrorFrame[] = [];
    refused.onError((error) => refusals.push(error));
    await waitFor(() => refusals.length === 1);
    expect(refusals[0]?.code).toBe('HS_SYNC_UNAUTHENTICATED');
    expect(refused.connected).toBe(false);
  });
});

describe('@hybridstate/sync-client is browser-safe', () => {
  it('imports nothing but socket.io-client, react, react-query and its own files', async () => {
    const root = fileURLToPath(new URL('../src', import.meta.url));
    const files = (await readdir(root, { recursive: true })).filter((f) => /\.tsx?$/.test(f));
    const imports = new Set<string>();
    for (const file of files) {
      const text = await readFile(join(root, file), 'utf8');
      for (const match of text.matchAll(/from '([^']+)'/g)) imports.add(match[1]!);
    }
    const external = [...imports].filter((name) => !name.startsWith('.'));
    expect(external.sort()).toEqual(['@tanstack/react-query', 'react', 'socket.io-client']);
  });
});
