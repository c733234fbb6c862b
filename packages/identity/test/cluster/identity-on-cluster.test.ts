/**
 * Identity on a real Redis Cluster (3 masters, 1 replica each): sessions, users and the
 * application caches of `createAppStack`, whose keys spread over every master.
 */
import { createHash } from 'node:crypto';
import {
  createRedisClusterClient,
  type Family,
  type KeyRef,
  RedisMessageBus,
  silentLogger,
} from '@hybridstate/core';
import type { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PATIENT_COMMAND_TIMEOUT_MS,
  type RedisCluster,
  startRedisCluster,
} from '../../../../test-support/redis-cluster.ts';
import { GuardedRedis } from '../../src/redis/guarded-redis.ts';
import { type IdentityWorld, identityWorld } from '../identity-setup.ts';

/** This file tests cluster correctness, not latency (see PATIENT_COMMAND_TIMEOUT_MS). */
const PATIENT = { commandTimeout: PATIENT_COMMAND_TIMEOUT_MS };

let cluster: RedisCluster;
let client: Cluster;
let world: IdentityWorld;
const closers: (() => Promise<void> | void)[] = [];

beforeAll(async () => {
  cluster = await startRedisCluster();
  client = await createRedisClusterClient(cluster.seeds, PATIENT);
  world = await identityWorld({ redis: client });
});
afterAll(async () => {
  for (const close of closers.splice(0).reverse()) await close();
  await world?.cleanup();
  client?.disconnect();
  await cluster?.stop();
});

/** Keys matching `pattern` on every master (right after a failover, on those that answer). */
async function keysOnMasters(pattern: string): Promise<Map<number, string[]>> {
  const found = new Map<number, string[]>();
  for (const node of client.nodes('master'))
    found.set(Number(node.options.port), await node.keys(pattern).catch(() => []));
  return found;
}

/**
 * A new session of `userId`, once its copy is in Redis: identity's circuit closed again after a
 * failover (the test's timeout bounds the wait).
 */
async function freshSessionCopied(web: ReturnType<IdentityWorld['stack']>, userId: string) {
  const fresh = await web.sessions.create(userId, { n: 'after' });
  const hash = createHash('sha256').update(fresh.id).digest('hex');
  const pattern = `{${world.keyspace.prefix}:*}:identity:session:web:${hash}`;
  while ([...(await keysOnMasters(pattern)).values()].flat().length !== 1) {
    await web.sessions.get(fresh.id);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return fresh;
}

/** A second instance: its own cluster connection and a Redis bus on it. */
async function instance() {
  const own = await createRedisClusterClient(cluster.seeds, PATIENT);
  const bus = new RedisMessageBus(own, { channelPrefix: `${world.keyspace.prefix}:` });
  await bus.settled();
  closers.push(async () => {
    await bus.close();
    own.disconnect();
  });
  return { redis: own, bus };
}

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('sessions on a cluster', () => {
  it('create, get, touch, setData, rotate, delete and revokeAll, with copies on every master', async () => {
    const web = world.stack('web', { sessions: { ttlMs: 60_000, touchIntervalMs: 1 } });
    const userId = await world.createUser();
    const issued = await Promise.all(
      Array.from({ length: 30 }, (_, i) => web.sessions.create(userId, { n: i })),
    );
    const copies = await keysOnMasters(`{${world.keyspace.prefix}:*}:identity:session:*`);
    expect([...copies.values()].filter((keys) => keys.length > 0)).toHaveLength(3);
    expect([...copies.values()].flat()).toHaveLength(30);

    const [first, second, ...rest] = issued;
    expect((await web.sessions.get(first!.id))?.data).toEqual({ n: 0 });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const touched = await web.sessions.touch(first!.id);
    expect(touched!.expiresAt.getTime()).toBeGreaterThan(first!.session.expiresAt.getTime());
    expect((await web.sessions.setData(first!.id, { n: 100 }))?.data).toEqual({ n: 100 });
    expect((await web.sessions.get(first!.id))?.data).toEqual({ n: 100 });

    const rotated = await web.sessions.rotate(first!.id);
    expect(await web.sessions.get(first!.id)).toBeNull();
    expect((await web.sessions.get(rotated!.id))?.data).toEqual({ n: 100 });
    expect(await web.sessions.delete(second!.id)).toBe(true);
    expect(await web.sessions.get(second!.id)).toBeNull();

    expect(await web.sessions.revokeAll(userId)).toBe(29);
    for (const { id } of [rotated!, ...rest]) expect(await web.sessions.get(id)).toBeNull();
  });
});

describe('users on a cluster', () => {
  it("a change is seen at once by every context's stack (tombstones in every context's key)", async () => {
    const web = world.stack('web');
    const admin = world.stack('admin');
    const userId = await world.createUser();
    expect((await web.users.get(userId))?.emailVerified).toBe(false);
    expect((await admin.users.get(userId))?.emailVerified).toBe(false);
    expect(await admin.users.updateUser(userId, { emailVerified: true })).toBe(true);
    expect((await web.users.get(userId))?.emailVerified).toBe(true);
    expect(await web.users.grant(userId, 'orders.read')).toBe(true);
    expect((await web.users.get(userId))?.permissions).toEqual(['orders.read']);
    expect((await admin.users.get(userId))?.permissions).toEqual([]);
  });
});

describe('application caches on a cluster', () => {
  it('two instances miss one key at once: the loader runs once (single flight + fill lease)', async () => {
    const [a, b] = [await instance(), await instance()];
    const stacks = [world.stack('web', a), world.stack('web', b)];
    let calls = 0;
    const loader = async () => {
      calls++;
      await new Promise((resolve) => setTimeout(resolve, 100));
      return { rate: 41 };
    };
    const values = await Promise.all(
      Array.from({ length: 40 }, (_, i) => stacks[i % 2]!.cache.getOrSet('rates', 'hot', loader)),
    );
    expect(calls).toBe(1);
    expect(values.every((v) => v.rate === 41)).toBe(true);
  });

  it('set, tag and prefix invalidation reach keys on every master and every instance', async () => {
    const [a, b] = [await instance(), await instance()];
    const [one, two] = [world.stack('admin', a), world.stack('admin', b)];
    let version = 1;
    const load = () => version;
    const keys = Array.from({ length: 24 }, (_, i) => `r${i}`);
    // Tagged entries land on every master while their tag's set lives in one slot.
    for (const key of keys)
      await one.cache.getOrSet('metrics', key, load, { tags: key < 'r2' ? ['t'] : [] });
    for (const key of keys) expect(await two.cache.getOrSet('metrics', key, load)).toBe(1);
    const stored = await keysOnMasters(`{${world.keyspace.prefix}:*}:cache:admin:metrics:*`);
    expect([...stored.values()].filter((k) => k.length > 0)).toHaveLength(3);
    version = 2;

    await one.cache.invalidateTag('t'); // r0, r1, r10..r19
    await until(async () => (await two.cache.getOrSet('metrics', 'r15', load)) === 2);
    expect(await two.cache.getOrSet('metrics', 'r1', load)).toBe(2);
    expect(await two.cache.getOrSet('metrics', 'r2', load)).toBe(1);

    expect(await two.cache.invalidatePrefix('metrics', 'r2')).toBe(5); // r2, r20..r23
    await until(async () => (await one.cache.getOrSet('metrics', 'r22', load)) === 2);
    expect(await one.cache.getOrSet('metrics', 'r3', load)).toBe(1);

    await one.cache.set('metrics', 'r3', 3);
    await until(async () => (await two.cache.getOrSet('metrics', 'r3', load)) === 3);
  });

  it('GuardedRedis.scanDelete deletes matching keys on every master', async () => {
    const family = world.keyspace.get('cache.web.orders') as Family<'cache:x:x:{key}'>;
    const refs: KeyRef[] = Array.from({ length: 60 }, (_, i) => family.key({ key: `o${i}` }));
    await Promise.all(refs.map((ref) => client.set(ref.redisKey, 'x')));
    const guarded = new GuardedRedis(client, 'test', silentLogger, async () => undefined);
    closers.push(() => guarded.close());
    expect(await guarded.scanDelete(family.redisPattern(), (key) => family.ownsRedisKey(key))).toBe(
      60,
    );
    expect(await Promise.all(refs.map((ref) => client.exists(ref.redisKey)))).toEqual(
      refs.map(() => 0),
    );
  });
});

describe('a master killed under the sessions', () => {
  it('sessions keep answering, a revocation made meanwhile holds, and copies come back', async () => {
    const web = world.stack('web');
    const userId = await world.createUser();
    const issued = await Promise.all(
      Array.from({ length: 20 }, (_, i) => web.sessions.create(userId, { n: i })),
    );
    const failover = cluster.killMaster(0); // some of the copies live on it
    // During the failover: read through to PostgreSQL where Redis does not answer.
    const during = await Promise.all(issued.map(({ id }) => web.sessions.get(id)));
    expect(during.map((s) => s?.data)).toEqual(issued.map((_, i) => ({ n: i })));
    expect(await web.sessions.revokeAll(userId)).toBe(20);
    await failover;
    for (const { id } of issued) expect(await web.sessions.get(id)).toBeNull();
    // Recovered without a restart: a new session's copy is written to Redis again.
    const fresh = await freshSessionCopied(web, userId);
    for (const { id } of issued) expect(await web.sessions.get(id)).toBeNull();
    expect((await web.sessions.get(fresh.id))?.data).toEqual({ n: 'after' });
  }, 60_000);
});

describe('a revocation in the replication window of a failover', () => {
  // The master acknowledges the revocation's tombstones but dies before its replica got them
  // (the replica's link is cut and the replica paused): the promoted replica still holds the
  // live session copies. The tombstones' replica wait fails, the circuit opens, and the
  // recovery purge drops those copies: the revoked sessions stay revoked.
  it('a revoked session does not come back from the promoted replica', async () => {
    const web = world.stack('web');
    const userId = await world.createUser();
    const issued = await Promise.all(
      Array.from({ length: 20 }, (_, i) => web.sessions.create(userId, { n: i })),
    );
    const pattern = `{${world.keyspace.prefix}:*}:identity:session:web:*`;
    // A master with a replica that holds some of the copies.
    const ranges = (await client.cluster('SLOTS')) as unknown as [
      number,
      number,
      [string, number],
      [string, number]?,
    ][];
    const copies = await keysOnMasters(pattern);
    const range = ranges.find(
      ([, , master, replica]) => replica !== undefined && (copies.get(master[1])?.length ?? 0) > 0,
    )!;
    expect(range).toBeDefined();
    const [start, , master, replica] = range;
    const victim = client.nodes('master').find((node) => node.options.port === master[1])!;
    while ((await victim.wait(1, 200).catch(() => 0)) < 1); // the copies reached the replica
    const replicaNode = cluster.nodes.find((node) => node.port === replica![1])!;
    replicaNode.server.pause();
    await victim.client('KILL', 'TYPE', 'replica');

    expect(await web.sessions.revokeAll(userId)).toBe(20);
    const killed = cluster.killMaster(start);
    await new Promise((resolve) => setTimeout(resolve, 500));
    replicaNode.server.resume();
    const { node } = await killed;
    // Until identity's circuit closes again, reads go to PostgreSQL; then to the new master.
    await freshSessionCopied(web, userId);
    for (const { id } of issued) expect(await web.sessions.get(id)).toBeNull();
    await node.server.start();
    await cluster.waitUntilHealthy();
  }, 60_000);
});
