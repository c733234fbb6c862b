// @vitest-environment happy-dom
import { QueryClient, QueryClientProvider, useQuery } from '@tanstack/react-query';
import { act, cleanup, render, screen } from '@testing-library/react';
import { type ReactNode, useEffect, useState } from 'react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type GatewayFixture,
  startGateway,
  TEST_ADMIN_TOKEN,
} from '../../sync/test/support/gateway-fixture.ts';
import { miniAppAuth } from '../../sync/test/support/mini-app.ts';
import { SyncClient } from '../src/index.ts';
import {
  queryKeysFor,
  SyncProvider,
  useSync,
  useSyncQueryInvalidation,
  useSyncRefetch,
} from '../src/react/index.ts';

let fixture: GatewayFixture;
let client: SyncClient;
beforeEach(async () => {
  fixture = await startGateway();
  client = new SyncClient({
    url: fixture.url,
    auth: { token: TEST_ADMIN_TOKEN },
    transports: ['websocket'],
  });
});
afterEach(async () => {
  cleanup();
  client.close();
  await fixture.close();
});

function withSync(children: ReactNode): ReactNode {
  return <SyncProvider client={client}>{children}</SyncProvider>;
}

/**
 * Wait for a condition, letting React apply state updates between checks (updates queued
 * inside one act() are only rendered when it ends, so each check gets its own).
 */
async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    await act(async () => new Promise((resolve) => setTimeout(resolve, 5)));
    if (condition()) return;
    if (Date.now() > deadline) throw new Error('the condition was not reached within 10 s');
  }
}

function Scenarios() {
  const { subscribe, unsubscribe, connected } = useSync();
  const [last, setLast] = useState('none');
  useEffect(() => {
    const handler = (event: { data: unknown }) => setLast(JSON.stringify(event.data));
    subscribe('scenarios.updated', handler);
    return () => unsubscribe('scenarios.updated', handler);
  }, [subscribe, unsubscribe]);
  return (
    <p>
      {connected ? 'online' : 'offline'} {last}
    </p>
  );
}

function Orphan() {
  useSync();
  return null;
}

function Buttons(props: { calls: string[] }) {
  useSyncRefetch(['buttons.created', 'buttons.updated'], (event) =>
    props.calls.push(event?.type ?? 'connected'),
  );
  return null;
}

function Balance(props: { server: { balance: number } }) {
  useSyncQueryInvalidation({
    'users.balance_updated': (event) => [['balance', (event.data as { userId: number }).userId]],
  });
  const { data } = useQuery({
    queryKey: ['balance', 42],
    queryFn: async () => props.server.balance,
  });
  return <p>balance {data ?? '…'}</p>;
}

function MiniApp(props: { seen: unknown[] }) {
  useSyncRefetch(['users.balance_updated'], (event) => event && props.seen.push(event.data));
  return null;
}

/** The text of a rendered node (the root tsconfig has no DOM lib; the test runs in happy-dom). */
function textOf(node: unknown): string {
  return (node as { textContent: string | null }).textContent ?? '';
}

const subscribed = (pattern: string) => () =>
  fixture.gateway.io.sockets.adapter.rooms.has(`s:a:${pattern}`);

describe('useSync', () => {
  it('shows the connection state and delivers events to a manual subscription', async () => {
    const page = render(withSync(<Scenarios />));
    expect(screen.getByText(/offline/)).toBeTruthy();
    await until(() => textOf(page.container).startsWith('online'));
    await until(subscribed('scenarios.updated'));
    await fixture.service.publish('scenarios.updated', { id: 'welcome' });
    await until(() => textOf(page.container) === 'online {"id":"welcome"}');
  });

  it('throws a clear error outside a SyncProvider', () => {
    const quiet = console.error;
    console.error = () => undefined;
    try {
      expect(() => render(<Orphan />)).toThrow(/SyncProvider/);
    } finally {
      console.error = quiet;
    }
  });
});

describe('useSyncRefetch', () => {
  it('refetches on every connected and on matching events only', async () => {
    const calls: string[] = [];
    render(withSync(<Buttons calls={calls} />));
    await until(() => calls.includes('connected'));
    await until(subscribed('buttons.updated'));
    await fixture.service.publish('buttons.deleted', { id: 1 });
    await fixture.service.publish('buttons.updated', { id: 1 });
    await until(() => calls.length === 2);
    // A network drop: the hook asks for a refetch again once reconnected.
    for (const socket of fixture.gateway.io.sockets.sockets.values()) socket.conn.close();
    await until(() => calls.length === 3);
    expect(calls).toEqual(['connected', 'buttons.updated', 'connected']);
  });
});

describe('React Query invalidation', () => {
  it('maps events to query keys and refetches the affected queries', async () => {
    const server = { balance: 10 };
    const queryClient = new QueryClient();
    render(
      <QueryClientProvider client={queryClient}>
        {withSync(<Balance server={server} />)}
      </QueryClientProvider>,
    );
    await until(() => screen.queryByText('balance 10') !== null);
    await until(subscribed('users.balance_updated'));
    server.balance = 25;
    await fixture.service.publish('users.balance_updated', { userId: 7, balance: 1 });
    await fixture.service.publish('users.balance_updated', { userId: 42, balance: 25 });
    await until(() => screen.queryByText('balance 25') !== null);
    queryClient.clear();
  });

  it('queryKeysFor collects the keys of every matching pattern', () => {
    const event = { type: 'users.balance_updated', data: { userId: 5 }, id: 'x', ts: 0 };
    expect(
      queryKeysFor(
        {
          'users.*': [['users']],
          'users.balance_updated': (e) => [['balance', (e.data as { userId: number }).userId]],
          'payouts.*': [['payouts']],
        },
        event,
      ),
    ).toEqual([['users'], ['balance', 5]]);
  });
});

describe('a Mini App in the DOM', () => {
  it('receives its own balance events and never another user’s', async () => {
    client.close();
    client = new SyncClient({ url: fixture.url, auth: miniAppAuth(42), transports: ['websocket'] });
    const seen: unknown[] = [];
    render(withSync(<MiniApp seen={seen} />));
    await until(() => fixture.gateway.io.sockets.adapter.rooms.has('s:u:42:users.balance_updated'));
    await fixture.service.publish('users.balance_updated', { userId: 43, balance: 1 });
    await fixture.service.publish('users.balance_updated', { userId: 42, balance: 2 });
    await until(() => seen.length === 1);
    expect(seen).toEqual([{ userId: 42, balance: 2 }]);
  });
});
