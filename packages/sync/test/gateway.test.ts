import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { anyOf, type SyncPrincipal, sessionAuthenticator } from '../src/index.ts';
import {
  connect,
  type GatewayFixture,
  startGateway,
  TEST_ADMIN_TOKEN,
  type TestClient,
  waitFor,
} from './support/gateway-fixture.ts';
import { miniAppAuth } from './support/mini-app.ts';

let fixture: GatewayFixture;
const clients: TestClient[] = [];
const open = async (auth: Record<string, unknown>) => {
  const client = await connect(fixture.url, auth);
  clients.push(client);
  return client;
};
const admin = () => open({ token: TEST_ADMIN_TOKEN });

beforeEach(async () => {
  fixture = await startGateway();
});
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await fixture.close();
});

async function refusal(auth: Record<string, unknown>): Promise<unknown> {
  try {
    await open(auth);
  } catch (error) {
    return (error as { data?: { code?: string } }).data?.code;
  }
  return 'accepted';
}

describe('/sync gateway: frames', () => {
  it('sends connected, then the events a pattern subscription matches, and stops after unsubscribe', async () => {
    const client = await admin();
    expect(client.connectedFrames[0]).toMatchObject({
      principal: { kind: 'admin', id: 'token' },
      heartbeat: { pingIntervalMs: 10_000, pingTimeoutMs: 5_000 },
    });
    expect(await client.frame('subscribe', ['buttons.*', 'tasks.created'])).toEqual({
      ok: true,
      events: ['buttons.*', 'tasks.created'],
    });
    await fixture.service.publish('tasks.updated', { id: 1 });
    await fixture.service.publish('buttons.updated', { id: 2 });
    await fixture.service.publish('tasks.created', { id: 3 });
    await waitFor(() => client.events.length === 2);
    expect(client.events.map((e) => [e.type, e.data])).toEqual([
      ['buttons.updated', { id: 2 }],
      ['tasks.created', { id: 3 }],
    ]);
    expect(client.events[0]).toEqual({
      type: 'buttons.updated',
      data: { id: 2 },
      id: expect.any(String),
      ts: expect.any(Number),
    });
    expect(await client.frame('unsubscribe', ['buttons.*'])).toEqual({
      ok: true,
      events: ['tasks.created'],
    });
    await fixture.service.publish('buttons.deleted', { id: 2 });
    await fixture.service.publish('tasks.created', { id: 4 });
    await waitFor(() => client.events.length === 3);
    expect(client.events[2]?.data).toEqual({ id: 4 });
  });

  it('delivers an event once to a socket whose patterns overlap', async () => {
    const client = await admin();
    await client.frame('subscribe', ['*', 'users.*', 'users.updated']);
    await fixture.service.publish('users.updated', { userId: 1 });
    await fixture.service.publish('tasks.created', { id: 'marker' });
    await waitFor(() => client.events.some((e) => e.type === 'tasks.created'));
    expect(client.events.map((e) => e.type)).toEqual(['users.updated', 'tasks.created']);
  });
});

describe('/sync gateway: Mini App users see only their own data', () => {
  it("user A never receives user B's balance or payout events; public events reach both; admins see all", async () => {
    const a = await open(miniAppAuth(1001));
    const b = await open(miniAppAuth(1002));
    const boss = await admin();
    expect(a.connectedFrames[0]).toMatchObject({ principal: { kind: 'user', userId: '1001' } });
    for (const client of [a, b, boss]) await client.frame('subscribe', ['*']);
    await fixture.service.publish('users.balance_updated', { userId: 1002, balance: 50 });
    await fixture.service.publish('payouts.approved', { id: 'p9', userId: 1002, amount: 5 });
    await fixture.service.publish('users.balance_updated', { userId: 1001, balance: 7 });
    await fixture.service.publish('settings.updated', { key: 'min_payout' });
    await fixture.service.publish('buttons.created', { id: 3 });
    await waitFor(() => boss.events.length === 5 && a.events.length === 3 && b.events.length === 4);
    expect(a.events.map((e) => [e.type, e.data])).toEqual([
      ['users.balance_updated', { userId: 1001, balance: 7 }],
      ['settings.updated', { key: 'min_payout' }],
      ['buttons.created', { id: 3 }],
    ]);
    expect(b.events.map((e) => e.type)).toEqual([
      'users.balance_updated',
      'payouts.approved',
      'settings.updated',
      'buttons.created',
    ]);
    expect(JSON.stringify(a.events)).not.toContain('1002');
  });

  it('closes every socket of a user with disconnectUser', async () => {
    const a = await open(miniAppAuth(2001));
    const other = await open(miniAppAuth(2002));
    const closed = new Promise((resolve) => a.socket.on('disconnect', resolve));
    fixture.gateway.disconnectUser(2001);
    expect(await closed).toBe('io server disconnect');
    expect(other.socket.connected).toBe(true);
  });
});

describe('/sync gateway: bad credentials', () => {
  it('refuses a missing, wrong, forged or expired credential, and keeps serving others', async () => {
    const good = await admin();
    expect(await refusal({})).toBe('HS_SYNC_UNAUTHENTICATED');
    expect(await refusal({ token: 'guess' })).toBe('HS_SYNC_UNAUTHENTICATED');
    expect(await refusal(miniAppAuth(1, { botToken: '999:other-bot' }))).toBe(
      'HS_SYNC_UNAUTHENTICATED',
    );
    // A real signature for user 1, with the user swapped for user 2.
    const forged = new URLSearchParams(miniAppAuth(1).initData);
    forged.set('user', JSON.stringify({ id: 2, first_name: 'User 2' }));
    expect(await refusal({ initData: forged.toString() })).toBe('HS_SYNC_UNAUTHENTICATED');
    expect(await refusal(miniAppAuth(1, { authDate: Date.now() - 2 * 86_400_000 }))).toBe(
      'HS_SYNC_UNAUTHENTICATED',
    );
    expect(await refusal({ initData: 42 })).toBe('HS_SYNC_UNAUTHENTICATED');
    await good.frame('subscribe', ['tasks.*']);
    await fixture.service.publish('tasks.created', { id: 1 });
    await waitFor(() => good.events.length === 1);
    expect(good.socket.connected).toBe(true);
  });

  it('closes a Mini App socket when its initData expires', async () => {
    // Signed almost 24 h ago: about one second of validity left.
    const client = await open(miniAppAuth(3001, { authDate: Date.now() - 86_400_000 + 1500 }));
    const closed = new Promise((resolve) => client.socket.on('disconnect', resolve));
    expect(await closed).toBe('io server disconnect');
    expect(client.errors).toEqual([
      { code: 'HS_SYNC_UNAUTHENTICATED', message: expect.stringContaining('expired') },
    ]);
  });
});

describe('/sync gateway: bad input', () => {
  it('answers malformed frames, unknown events and bad patterns with stable codes', async () => {
    const client = await admin();
    const answers = [];
    for (const events of [
      'buttons.*',
      [],
      [42],
      ['orders.created'],
      ['orders.*'],
      ['users.**'],
      ['*.updated'],
    ])
      answers.push(
        ((await client.frame('subscribe', events)) as { error: { code: string } }).error.code,
      );
    answers.push(
      (
        (await client.socket.timeout(5000).emitWithAck('subscribe', 'nonsense')) as {
          error: { code: string };
        }
      ).error.code,
    );
    expect(answers).toEqual([
      'HS_SYNC_BAD_FRAME',
      'HS_SYNC_BAD_FRAME',
      'HS_SYNC_INVALID_PATTERN',
      'HS_SYNC_UNKNOWN_EVENT',
      'HS_SYNC_UNKNOWN_EVENT',
      'HS_SYNC_INVALID_PATTERN',
      'HS_SYNC_INVALID_PATTERN',
      'HS_SYNC_BAD_FRAME',
    ]);
    client.socket.emit('hello', { please: 'admin' });
    await waitFor(() => client.errors.length === 1);
    expect(client.errors[0]?.code).toBe('HS_SYNC_BAD_FRAME');
  });

  it('closes a socket that sends a 1 MB frame; the others keep their events', async () => {
    const bystander = await admin();
    await bystander.frame('subscribe', ['tasks.*']);
    const attacker = await admin();
    const closed = new Promise((resolve) => attacker.socket.on('disconnect', resolve));
    attacker.socket.emit('subscribe', { events: ['x'.repeat(1_048_576)] });
    expect(await closed).toBe('transport close');
    await fixture.service.publish('tasks.created', { id: 1 });
    await waitFor(() => bystander.events.length === 1);
  });

  it('rate-limits subscribe floods, then closes the socket; the others keep their events', async () => {
    const bystander = await admin();
    await bystander.frame('subscribe', ['tasks.*']);
    const flooder = await admin();
    const closed = new Promise((resolve) => flooder.socket.on('disconnect', resolve));
    const answers = await Promise.allSettled(
      Array.from({ length: 40 }, () => flooder.frame('subscribe', ['buttons.*'])),
    );
    const codes = answers.map((a) =>
      a.status === 'fulfilled'
        ? ((a.value as { error?: { code: string } }).error?.code ?? 'ok')
        : 'closed',
    );
    expect(codes.slice(0, 20).every((c) => c === 'ok')).toBe(true);
    expect(codes).toContain('HS_SYNC_RATE_LIMITED');
    expect(await closed).toBe('io server disconnect');
    await fixture.service.publish('tasks.created', { id: 1 });
    await waitFor(() => bystander.events.length === 1);
  });

  it('caps the subscriptions of one socket', async () => {
    await fixture.close();
    fixture = await startGateway({ gateway: { maxSubscriptions: 2 } });
    const client = await admin();
    expect(await client.frame('subscribe', ['users.*', 'tasks.*'])).toMatchObject({ ok: true });
    expect(await client.frame('subscribe', ['users.*'])).toMatchObject({ ok: true });
    expect(await client.frame('subscribe', ['buttons.*'])).toEqual({
      ok: false,
      error: { code: 'HS_SYNC_TOO_MANY_SUBSCRIPTIONS', message: expect.any(String) },
    });
  });
});

describe('/sync gateway: sessions from a callback (how @hybridstate/identity plugs in)', () => {
  it('accepts a live session, refuses unknown and expired ones, and closes the socket at expiry', async () => {
    await fixture.close();
    const sessions = new Map<string, SyncPrincipal>([
      ['live', { kind: 'admin', id: 'alice' }],
      ['stale', { kind: 'admin', id: 'bob', expiresAt: Date.now() - 1 }],
      ['short', { kind: 'user', userId: '9', expiresAt: Date.now() + 300 }],
    ]);
    fixture = await startGateway({
      gateway: {
        authenticate: anyOf(sessionAuthenticator(async (id) => sessions.get(id) ?? null)),
      },
    });
    const alice = await open({ session: 'live' });
    expect(alice.connectedFrames[0]).toMatchObject({ principal: { kind: 'admin', id: 'alice' } });
    expect(await refusal({ session: 'unknown' })).toBe('HS_SYNC_UNAUTHENTICATED');
    expect(await refusal({ session: 'stale' })).toBe('HS_SYNC_UNAUTHENTICATED');
    expect(await refusal({ session: { $ne: '' } })).toBe('HS_SYNC_UNAUTHENTICATED');
    expect(await refusal({ token: TEST_ADMIN_TOKEN })).toBe('HS_SYNC_UNAUTHENTICATED');
    const short = await open({ session: 'short' });
    expect(await new Promise((resolve) => short.socket.on('disconnect', resolve))).toBe(
      'io server disconnect',
    );
  });

  it('refuses the connection when the session store fails, without crashing', async () => {
    await fixture.close();
    fixture = await startGateway({
      gateway: {
        authenticate: sessionAuthenticator(async () => {
          throw new Error('identity store unreachable');
        }),
      },
    });
    expect(await refusal({ session: 'any' })).toBe('HS_SYNC_UNAUTHENTICATED');
  });
});
