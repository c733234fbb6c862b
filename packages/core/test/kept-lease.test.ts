import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  dropKeyspace,
  TEST_DATABASE_URL,
  TEST_REDIS_URL,
  type TestPostgres,
  testPostgres,
  uniqueId,
} from '../../../test-support/index.ts';
import {
  createRedisClient,
  createTieredStore,
  type Family,
  Keyspace,
  type LockOptions,
  RedisTier,
  type TieredStore,
} from '../src/index.ts';
import { lockKeyOf } from '../src/tiers/lock-keys.ts';

const WORKER = fileURLToPath(new URL('./workers/kept-lease-worker.ts', import.meta.url));
const KEEP: LockOptions = { keepMs: 60_000 };
type Durability = 'durable' | 'buffered' | 'ephemeral';

/** Kept leases (`keepMs`): two stores on their own connections stand for two bot processes. */
describe('TieredStore.lock with kept leases, real Redis + PostgreSQL', () => {
  let pgt: TestPostgres;
  let redis: Awaited<ReturnType<typeof createRedisClient>>;
  let keyspace: Keyspace;
  let a: TieredStore;
  let b: TieredStore;
  /** What store `a`'s Redis connection sends, read off the real client (not MONITOR: ioredis
   * can take monitor lines that share a TCP read with MONITOR's OK for stray replies). */
  let sentByA: { name: string; args: unknown[] }[] | undefined;
  let families: Record<Durability, Family>;
  let n = 0;
  const key = (durability: Durability = 'ephemeral') =>
    families[durability].key({ id: `k${++n}` } as never);

  beforeAll(async () => {
    pgt = await testPostgres();
    redis = await createRedisClient(TEST_REDIS_URL);
    keyspace = new Keyspace({ prefix: uniqueId('t'), shards: 4 });
    families = {
      durable: keyspace.family({ name: 'c', key: 'c:{id}', durability: 'durable' }),
      buffered: keyspace.family({ name: 'b', key: 'b:{id}', durability: 'buffered' }),
      ephemeral: keyspace.family({
        name: 'e',
        key: 'e:{id}',
        durability: 'ephemeral',
        ttlMs: 600_000,
      }),
    };
    const open = async (observe = false) => {
      const client = await createRedisClient(TEST_REDIS_URL);
      if (observe) {
        const send = client.sendCommand.bind(client);
        client.sendCommand = (command, stream) => {
          sentByA?.push({ name: command.name, args: command.args });
          return send(command, stream);
        };
      }
      return createTieredStore({
        keyspace,
        cache: new RedisTier(client),
        postgres: pgt.tier,
        sweepIntervalMs: 0,
      });
    };
    a = await open(true);
    b = await open();
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await dropKeyspace(redis, keyspace);
    redis?.disconnect();
    await pgt?.cleanup();
  });

  async function increment(store: TieredStore, ref: ReturnType<typeof key>, options = KEEP) {
    const held = await store.lock([ref], options);
    await held.commit([{ ref, value: ((held.get(ref) as number | undefined) ?? 0) + 1 }]);
  }

  it('keeps the lease: the next lock reads nothing from Redis and commits in one command', async () => {
    const ref = key();
    await increment(a, ref);
    sentByA = [];
    await increment(a, ref);
    const sent = sentByA;
    sentByA = undefined;
    expect(sent.map((c) => c.name.toLowerCase())).toEqual(['evalsha']);
    expect(sent[0]!.args.map(String)).toContain(ref.redisKey);
    expect(await redis.get(lockKeyOf(ref))).not.toBeNull(); // still held, for the next update
    expect(await a.get(ref)).toBe(2);
  });

  it.each(['durable', 'buffered', 'ephemeral'] as const)(
    'hands a %s key over between two holders, 2 x 100 concurrent increments: none lost',
    async (durability) => {
      const ref = key(durability);
      await Promise.all(
        Array.from({ length: 100 }, () => [increment(a, ref), increment(b, ref)]).flat(),
      );
      expect(await a.get(ref)).toBe(200);
      expect(await b.get(ref)).toBe(200);
    },
  );

  it('a Redis copy of a durable key older than PostgreSQL fails one commit, not every retry', async () => {
    const ref = key('durable');
    await b.set(ref, 5);
    // A late read-through after an outage can leave an older copy in Redis than PostgreSQL's row.
    const version = Number(await redis.hget(ref.redisKey, 'v'));
    await redis.del(ref.redisKey);
    await redis.hset(ref.redisKey, 'd', '1', 'v', String(version - 10), 'e', '');
    const once = { keepMs: 0 };
    await expect(increment(b, ref, once)).rejects.toMatchObject({ code: 'HS_LOCK_LOST' });
    await increment(b, ref, once); // the refused copy was evicted: this lock reads PostgreSQL
    expect(await b.get(ref)).toBe(6);
  });

  it('commits 40 kept keys issued in one tick (several script calls) exactly, awkward text included, and one broken key fails alone', async () => {
    const refs = Array.from({ length: 40 }, () => key());
    for (const ref of refs) await increment(a, ref); // every key kept by a
    const awkward = (i: number) => ({
      i,
      text: `"quoted" \\ back\\slash \u0000 nul \u2028 line ✓ ☃ 😀 ${i}`,
      nested: [{ deep: [i, null, true] }],
    });
    // The lease holder's copy of one key is now wrong in Redis's eyes: a foreign value there.
    const broken = refs[7]!;
    const held = refs.map((ref) => a.tryLockKept([ref], KEEP)!);
    expect(held.every((h) => h !== undefined)).toBe(true);
    await redis.del(broken.redisKey);
    await redis.set(broken.redisKey, 'not a hash');
    // All 40 commits are issued in the same tick: chunks of 16, 16 and 8 writes.
    const results = await Promise.allSettled(
      held.map((h, i) => h.commit([{ ref: refs[i]!, value: awkward(i) }])),
    );
    results.forEach((result, i) => {
      if (i !== 7) expect(result.status).toBe('fulfilled');
    });
    expect(results[7]).toMatchObject({
      status: 'rejected',
      reason: { code: 'HS_CORRUPT_VALUE', context: { key: broken.redisKey } },
    });
    for (const [i, ref] of refs.entries()) {
      if (i === 7) continue;
      expect(await b.get(ref)).toEqual(awkward(i));
    }
    expect(await redis.type(broken.redisKey)).toBe('string'); // untouched
    await redis.del(broken.redisKey);
  });

  it('tryLockKept takes a kept idle key at once, and nothing busy, unkept or given up', async () => {
    const ref = key();
    expect(a.tryLockKept([ref], KEEP)).toBeUndefined(); // not kept yet: lock() reads it
    await increment(a, ref);
    const held = a.tryLockKept([ref], KEEP)!;
    expect(held.get(ref)).toBe(1);
    expect(a.tryLockKept([ref], KEEP)).toBeUndefined(); // busy: its holder runs
    const waiting = increment(a, ref); // queued behind the holder
    await held.commit([{ ref, value: 2 }]);
    await waiting;
    expect(a.tryLockKept([ref], { keepMs: 0 })).toBeUndefined();
    await increment(b, ref); // b asks for the key; a gives it up within a tick
    expect(a.tryLockKept([ref], KEEP)).toBeUndefined();
    expect(await b.get(ref)).toBe(4);
  });

  it('gives an idle kept lease up to a contender, who reads the holder last write', async () => {
    const ref = key();
    await increment(a, ref); // a keeps the lease for a minute
    await increment(b, ref); // b marks the key as wanted; a gives it up within a tick
    await increment(a, ref); // and a reads b's write, not its own copy
    expect(await a.get(ref)).toBe(3);
  });

  it('gives a kept lease up after keepMs idle', async () => {
    const ref = key();
    await increment(a, ref, { keepMs: 200 });
    expect(await redis.get(lockKeyOf(ref))).not.toBeNull();
    await vi.waitFor(async () => expect(await redis.get(lockKeyOf(ref))).toBeNull(), {
      timeout: 5000,
    });
  });

  it('a lock without keepMs takes a key this store keeps, and the next kept lock reads it again', async () => {
    const ref = key();
    await increment(a, ref);
    await increment(a, ref, {});
    await increment(a, ref);
    expect(await b.get(ref)).toBe(3);
  });

  it.each(['durable', 'buffered', 'ephemeral'] as const)(
    'a %s write from outside the locks is never overwritten by a holder copy: the holder commit fails',
    async (durability) => {
      const ref = key(durability);
      await increment(a, ref);
      await b.set(ref, 100); // an admin panel, on another instance, without a lock
      const held = await a.lock([ref], KEEP);
      expect(held.get(ref)).toBe(1); // a served its copy: it cannot know yet
      await expect(held.commit([{ ref, value: 2 }])).rejects.toMatchObject({
        code: 'HS_LOCK_LOST',
      });
      expect(await b.get(ref)).toBe(100);
      await increment(a, ref); // the lease was given up: read again
      expect(await b.get(ref)).toBe(101);
    },
  );

  it('a write through the holder own store is seen by its next lock', async () => {
    const ref = key('durable');
    await increment(a, ref);
    await a.set(ref, 10);
    await increment(a, ref);
    expect(await b.get(ref)).toBe(11);
  });

  it('refuses a commit whose kept lease was lost (Redis lost the lock), without writing', async () => {
    const ref = key();
    await increment(a, ref);
    await redis.del(lockKeyOf(ref)); // as after a Redis restart
    await increment(b, ref, {}); // another holder writes 2
    const held = await a.lock([ref], KEEP);
    await expect(
      held.commit([{ ref, value: ((held.get(ref) as number) ?? 0) + 1 }]),
    ).rejects.toMatchObject({ code: 'HS_LOCK_LOST' });
    expect(await b.get(ref)).toBe(2);
    await increment(a, ref);
    expect(await b.get(ref)).toBe(3);
  });

  it('a holder that crashed blocks the key no longer than its lease', async () => {
    const ref = families.ephemeral.key({ id: `crash${++n}` } as never);
    const leaseMs = 1500;
    const child = spawn(process.execPath, ['--import', 'tsx', WORKER], {
      env: {
        ...process.env,
        HS_PREFIX: keyspace.prefix,
        HS_KEY: ref.key.split(':')[1]!,
        HS_LEASE_MS: String(leaseMs),
        HS_VALUE: 'from the crashed holder',
        HS_SCHEMA: pgt.schema,
        TEST_DATABASE_URL,
        TEST_REDIS_URL,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve) => child.stdout.on('data', () => resolve()));
    expect(await redis.get(lockKeyOf(ref))).not.toBeNull();
    child.kill('SIGKILL');
    // Waiting at most twice the lease: a lock blocked longer would fail with HS_LOCK_TIMEOUT.
    const held = await b.lock([ref], { waitMs: 2 * leaseMs });
    expect(held.get(ref)).toBe('from the crashed holder');
    await held.release();
  });
});
