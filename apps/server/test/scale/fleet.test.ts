/**
 * Three real `apps/server` processes behind a round-robin load balancer, on one PostgreSQL
 * database and one Redis Cluster (3 masters, 3 replicas): what a user sees is the same
 * whichever instance serves a request.
 */
import {
  createRedisClusterClient,
  createTieredStore,
  Keyspace,
  PostgresTier,
  pgSqlClient,
  RedisTier,
} from '@hybridstate/core';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  adminLogin,
  adminSyncClient,
  type FleetAdmin,
  http,
  postUpdate,
  type SyncEvent,
  textUpdate,
} from '../../../../test-support/fleet-client.ts';
import { TEST_DATABASE_URL } from '../../../../test-support/index.ts';
import { type RedisCluster, startRedisCluster } from '../../../../test-support/redis-cluster.ts';
import { type ServerFleet, startServerFleet } from '../../../../test-support/server-fleet.ts';

let cluster: RedisCluster;
let fleet: ServerFleet;
let admin: FleetAdmin;
let nextUser = 7_000_000_000 + Math.floor(Math.random() * 1_000_000_000);

beforeAll(async () => {
  cluster = await startRedisCluster();
  fleet = await startServerFleet({
    redis: { clusterNodes: cluster.nodesVariable },
    postgresUrl: TEST_DATABASE_URL,
    env: { WRITE_BEHIND_FLUSH_INTERVAL_MS: '1000' },
  });
  admin = await adminLogin(fleet);
}, 120_000);

afterAll(async () => {
  await fleet?.stop();
  await cluster?.stop();
}, 60_000);

/** `sendMessage` calls each instance's bot made to `chatId`. */
function repliesTo(chatId: number): { instance: number; text: string; payload: unknown }[] {
  return fleet.instances.flatMap((instance) =>
    instance.telegram.calls
      .filter((c) => c.method === 'sendMessage' && c.payload.chat_id === chatId)
      .map((c) => ({ instance: instance.index, text: String(c.payload.text), payload: c.payload })),
  );
}

async function until<T>(read: () => T | Promise<T>, accept: (value: T) => boolean): Promise<T> {
  let value = await read();
  for (let i = 0; i < 300 && !accept(value); i++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    value = await read();
  }
  return value;
}

describe('3 server instances on one Redis Cluster behind a load balancer', () => {
  it('spreads webhook updates over every instance, each answered once', async () => {
    const users = Array.from({ length: 30 }, () => nextUser++);
    // Like Telegram, deliver an update again when it was not answered 200 (a 503 for a
    // transient Redis or lock failure on a loaded machine), at most 3 times.
    const refused: unknown[] = [];
    const answers = await Promise.all(
      users.map(async (id) => {
        const update = textUpdate(id, '/start');
        let answer = await postUpdate(fleet, update);
        for (let attempt = 1; answer.status !== 200 && attempt < 3; attempt++) {
          refused.push(answer);
          answer = await postUpdate(fleet, update);
        }
        return answer;
      }),
    );
    if (refused.length > 0)
      console.warn('webhook answers delivered again:', JSON.stringify(refused));
    expect(answers.map((a) => a.status)).toEqual(users.map(() => 200));
    const perInstance = fleet.instances.map(
      (i) =>
        i.telegram.calls.filter(
          (c) => c.method === 'sendMessage' && users.includes(c.payload.chat_id as number),
        ).length,
    );
    console.log(`webhook updates per instance: ${perInstance.join(' / ')}`);
    // Each update answered once, plus at most one reply per failed delivery that got that far.
    const sent = perInstance.reduce((a, b) => a + b, 0);
    expect(sent).toBeGreaterThanOrEqual(users.length);
    expect(sent).toBeLessThanOrEqual(users.length + refused.length);
    for (const count of perInstance) expect(count).toBeGreaterThan(0);
  });

  it("keeps every update of one user's session when its updates land on different instances", async () => {
    const questions = 12;
    const created = await http(fleet.url, 'POST', '/api/admin/scenarios', {
      headers: admin.headers,
      body: {
        name: 'Survey',
        command: 'survey',
        steps: [
          ...Array.from({ length: questions }, (_, i) => ({
            type: 'ask',
            text: `Question ${i + 1}?`,
            field: `q${i + 1}`,
            store: 'session',
          })),
          { type: 'text', text: 'Thanks!' },
        ],
      },
    });
    expect(created.status).toBe(201);
    const user = nextUser++;
    await until(
      () => postUpdate(fleet, textUpdate(user, '/survey')),
      () => repliesTo(user).some((r) => r.text === 'Question 1?'),
    );
    expect(repliesTo(user).map((r) => r.text)).toEqual(['Question 1?']);
    // All answers at once, each on its own connection: the balancer sends them to every
    // instance, and the session lock orders them.
    const texts = Array.from({ length: questions }, (_, i) => `answer-${i}`);
    const posted = await Promise.all(texts.map((t) => postUpdate(fleet, textUpdate(user, t))));
    expect(posted.map((p) => p.status)).toEqual(texts.map(() => 200));

    const replies = repliesTo(user);
    const handledBy = new Set(replies.map((r) => r.instance));
    console.log(`one user's ${questions} answers were handled by instances ${[...handledBy]}`);
    expect(handledBy.size).toBeGreaterThan(1);
    // Every answer moved the conversation one step: no two read the same step.
    expect(replies.map((r) => r.text).sort()).toEqual(
      [...Array.from({ length: questions }, (_, i) => `Question ${i + 1}?`), 'Thanks!'].sort(),
    );
    const stored = await fleet.sql.query<{ value: Record<string, string> }>(
      `SELECT value FROM hybridstate.hs_kv WHERE key LIKE $1`,
      [`session:platform_answers:${user}`],
    );
    const answers = stored.rows[0]?.value ?? {};
    expect(Object.keys(answers).sort()).toEqual(
      Array.from({ length: questions }, (_, i) => `q${i + 1}`).sort(),
    );
    expect(Object.values(answers).sort()).toEqual([...texts].sort());
  });

  it('delivers /sync events to clients connected to every instance', async () => {
    const received: number[][] = fleet.instances.map(() => []);
    const sockets: Socket[] = [];
    try {
      for (const instance of fleet.instances)
        sockets.push(
          await adminSyncClient(instance.url, admin, (event: SyncEvent, at) => {
            if (event.type === 'settings.updated') received[instance.index]!.push(at);
          }),
        );
      const sent = Date.now();
      const put = await http(fleet.url, 'PUT', '/api/admin/settings', {
        headers: admin.headers,
        body: { welcomeText: 'Hello from the fleet', minPayoutMinor: 500, currency: 'USD' },
      });
      expect(put.status).toBe(200);
      await until(
        () => received,
        (r) => r.every((list) => list.length > 0),
      );
      console.log(
        `settings.updated reached the instances' sockets after ${received.map((r) => (r[0] ?? Number.NaN) - sent).join(' / ')} ms`,
      );
      for (const list of received) expect(list).toHaveLength(1);
    } finally {
      for (const socket of sockets) socket.close();
    }
  });

  it("drops every instance's cached keyboard when an admin edits a button", async () => {
    const created = await http(fleet.url, 'POST', '/api/admin/buttons', {
      headers: admin.headers,
      body: { label: 'Balance', action: 'balance', position: 0 },
    });
    expect(created.status).toBe(201);
    const button = created.body as { id: number };
    const keyboardOn = async (base: string) => {
      const user = nextUser++;
      await postUpdate(fleet, textUpdate(user, '/start'), base);
      const reply = repliesTo(user).at(-1)?.payload as
        | { reply_markup?: { keyboard?: { text: string }[][] } }
        | undefined;
      return reply?.reply_markup?.keyboard?.flat().map((b) => b.text) ?? [];
    };
    for (const instance of fleet.instances)
      expect(
        await until(
          () => keyboardOn(instance.url),
          (k) => k.includes('Balance'),
        ),
      ).toContain('Balance');

    const edited = Date.now();
    const patch = await http(fleet.url, 'PATCH', `/api/admin/buttons/${button.id}`, {
      headers: admin.headers,
      body: { label: 'My balance' },
    });
    expect(patch.status).toBe(200);
    const seenAfter: number[] = [];
    for (const instance of fleet.instances) {
      const keyboard = await until(
        () => keyboardOn(instance.url),
        (k) => k.includes('My balance'),
      );
      seenAfter.push(Date.now() - edited);
      expect(keyboard).toContain('My balance');
      expect(keyboard).not.toContain('Balance');
    }
    console.log(
      `the edited keyboard was served by each instance after ${seenAfter.join(' / ')} ms`,
    );
  });

  it('shares the write-behind flush between the instances without writing an entry twice', async () => {
    // A process that buffers writes under the fleet's prefix and never flushes (a bot worker,
    // say): the servers' flushers drain its journal, each entry in one flusher only.
    const redis = await createRedisClusterClient([...cluster.seeds]);
    const keyspace = new Keyspace({ prefix: fleet.keyPrefix });
    const family = keyspace.family({
      name: 'scale_wb',
      key: 'scale_wb:{id}',
      durability: 'buffered',
    });
    const store = await createTieredStore({
      keyspace,
      cache: new RedisTier(redis),
      postgres: new PostgresTier(pgSqlClient(fleet.sql)),
      sweepIntervalMs: 0,
      writeBehind: { enabled: false },
    });
    const rowsFlushed = async () =>
      Promise.all(
        fleet.instances.map(async (instance) => {
          const text = (await http(instance.url, 'GET', '/metrics')).body as string;
          const line = /^hybridstate_write_behind_rows_total(?:\{[^}]*\})? (\d+)/m.exec(text);
          return Number(line?.[1] ?? 0);
        }),
      );
    try {
      const before = await rowsFlushed();
      const batches = 8;
      const perBatch = 50;
      for (let b = 0; b < batches; b++) {
        await store.setMany(
          Array.from({ length: perBatch }, (_, i) => ({
            ref: family.key({ id: b * perBatch + i }),
            value: { batch: b, i },
          })),
        );
        await new Promise((resolve) => setTimeout(resolve, 400));
      }
      const total = batches * perBatch;
      const inPostgres = () =>
        fleet.sql
          .query<{ n: string }>(
            `SELECT count(*) AS n FROM hybridstate.hs_kv WHERE key LIKE 'scale_wb:%'`,
          )
          .then((r) => Number(r.rows[0]!.n));
      expect(await until(inPostgres, (n) => n === total)).toBe(total);
      const after = await until(rowsFlushed, (rows) => rows.reduce((a, b) => a + b, 0) >= total);
      const perInstance = after.map((n, i) => n - before[i]!);
      console.log(`buffered rows flushed per instance: ${perInstance.join(' / ')} (of ${total})`);
      expect(perInstance.reduce((a, b) => a + b, 0)).toBe(total);
    } finally {
      await store.close();
      redis.disconnect();
    }
  });
});
