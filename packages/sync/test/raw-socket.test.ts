import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  connect,
  type GatewayFixture,
  startGateway,
  TEST_ADMIN_TOKEN,
  waitFor,
} from './support/gateway-fixture.ts';

/**
 * Below socket.io-client: a bare WebSocket speaking engine.io v4 by hand, to be a client that
 * stops answering heartbeats or sends frames no library would.
 */
let fixture: GatewayFixture;
beforeEach(async () => {
  fixture = await startGateway({ gateway: { pingIntervalMs: 100, pingTimeoutMs: 100 } });
});
afterEach(async () => fixture.close());

interface RawSocket {
  readonly ws: WebSocket;
  readonly received: string[];
  readonly closed: Promise<void>;
}

async function rawConnect(auth: Record<string, unknown>): Promise<RawSocket> {
  const url = `${fixture.url.replace('http', 'ws')}/sync/?EIO=4&transport=websocket`;
  const ws = new WebSocket(url);
  const received: string[] = [];
  const closed = new Promise<void>((resolve) => ws.on('close', () => resolve()));
  ws.on('message', (data) => received.push(String(data)));
  await new Promise((resolve) => ws.once('open', resolve));
  ws.send(`40${JSON.stringify(auth)}`);
  await waitFor(() => received.some((m) => m.startsWith('42["connected"')));
  return { ws, received, closed };
}

describe('/sync heartbeats', () => {
  it('closes a connection that stops answering pings; an answering client stays', async () => {
    const healthy = await connect(fixture.url, { token: TEST_ADMIN_TOKEN });
    const silent = await rawConnect({ token: TEST_ADMIN_TOKEN });
    await silent.closed;
    expect(silent.received).toContain('2'); // it was pinged, never answered
    expect(healthy.socket.connected).toBe(true);
    healthy.close();
  });
});

describe('/sync malformed frames below socket.io', () => {
  it('closes a connection that sends a broken packet; others keep their events', async () => {
    const bystander = await connect(fixture.url, { token: TEST_ADMIN_TOKEN });
    await bystander.frame('subscribe', ['tasks.*']);
    for (const garbage of ['42[not json', '42{"a":1}', '9', '42["subscribe",']) {
      const raw = await rawConnect({ token: TEST_ADMIN_TOKEN });
      raw.ws.send(garbage);
      await raw.closed;
    }
    await fixture.service.publish('tasks.created', { id: 1 });
    await waitFor(() => bystander.events.length === 1);
    bystander.close();
  });
});
