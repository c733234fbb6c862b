import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  dropKeyspace,
  type PostgresServer,
  type RedisServer,
  startPostgresServer,
  startRedisServer,
  TEST_DATABASE_URL,
  TEST_REDIS_URL,
  type TestPostgres,
  testPostgres,
  uniqueId,
} from '../../../test-support/index.ts';
import {
  createRedisClient,
  createTieredStore,
  Keyspace,
  PostgresTier,
  pgSqlClient,
  RedisTier,
} from '../src/index.ts';

const WORKER = fileURLToPath(new URL('./workers/buffered-worker.ts', import.meta.url));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function buffered(prefix: string) {
  const keyspace = new Keyspace({ prefix, shards: 4 });
  return {
    keyspace,
    memory: keyspace.family({
      name: 'user_memory',
      key: 'user_memory:{userId}',
      durability: 'buffered',
    }),
  };
}

/** Spawn the worker; resolves its acknowledged values and calls `on(line)` for each line. */
function spawnWorker(env: Record<string, string>, on: (line: string, child: ChildProcess) => void) {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const acked = new Promise<Record<string, number>>((resolve) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith('{')) resolve(JSON.parse(line).acked);
      else on(line, child);
    });
  });
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(signal === null ? code : -1)),
  );
  return { child, acked, exited };
}

async function lostIn(
  tier: PostgresTier,
  memory: ReturnType<typeof buffered>['memory'],
  acked: Record<string, number>,
): Promise<number> {
  const ids = Object.keys(acked);
  const rows = await tier.read(ids.map((userId) => memory.key({ userId })));
  return rows.filter((row, i) => row === null || JSON.parse(row.value) !== acked[ids[i]!]).length;
}

describe('write-behind faults', () => {
  let shared: TestPostgres;
  beforeAll(async () => {
    shared = await testPostgres();
  });
  afterAll(async () => shared?.cleanup());

  it('SIGKILL in the middle of a large flush: after restart every acknowledged write is in PostgreSQL', async () => {
    const prefix = uniqueId('t');
    const env = {
      HS_PREFIX: prefix,
      HS_SCHEMA: shared.schema,
      HS_COUNT: '20000',
      HS_BATCH: '250',
      HS_MODE: 'flush',
      TEST_DATABASE_URL,
      TEST_REDIS_URL,
    };
    const worker = spawnWorker(env, (line, child) => {
      if (line === 'FLUSHING') setTimeout(() => child.kill('SIGKILL'), 60);
    });
    const acked = await worker.acked;
    expect(await worker.exited).toBe(-1); // killed, not finished
    const { keyspace, memory } = buffered(prefix);
    const before = Object.keys(acked).length - (await lostIn(shared.tier, memory, acked));

    const redis = await createRedisClient(TEST_REDIS_URL);
    const store = await createTieredStore({
      keyspace,
      cache: new RedisTier(redis),
      postgres: shared.tier,
      sweepIntervalMs: 0,
      writeBehind: { claimIdleMs: 200, pollMs: 50 },
    });
    await sleep(300); // the dead flusher's entries go idle and become claimable
    await store.flush();
    const lost = await lostIn(shared.tier, memory, acked);
    console.info(
      `SIGKILL mid-flush: ${Object.keys(acked).length} acknowledged, ${before} in PostgreSQL at the kill, ${lost} lost after restart`,
    );
    expect(Object.keys(acked)).toHaveLength(20000);
    expect(before).toBeLessThan(20000);
    expect(lost).toBe(0);
    expect((await store.writeBehindStatus())?.pending).toBe(0);
    await store.close();
    await dropKeyspace(redis, keyspace);
    redis.disconnect();
  }, 120_000);

  it('SIGTERM flushes before the process exits', async () => {
    const prefix = uniqueId('t');
    const env = {
      HS_PREFIX: prefix,
      HS_SCHEMA: shared.schema,
      HS_COUNT: '3000',
      HS_MODE: 'wait',
      TEST_DATABASE_URL,
      TEST_REDIS_URL,
    };
    const worker = spawnWorker(env, (line, child) => {
      if (line === 'READY') child.kill('SIGTERM');
    });
    const acked = await worker.acked;
    expect(await worker.exited).toBe(0);
    const { keyspace, memory } = buffered(prefix);
    expect(await lostIn(shared.tier, memory, acked)).toBe(0);
    const redis = await createRedisClient(TEST_REDIS_URL);
    await dropKeyspace(redis, keyspace);
    redis.disconnect();
  }, 60_000);

  describe('with a throwaway PostgreSQL', () => {
    let server: PostgresServer;
    beforeAll(async () => {
      server = await startPostgresServer();
    }, 60_000);
    afterAll(async () => server?.destroy());

    it('PostgreSQL stopped during a workload: the journal grows, flushes retry, nothing is lost, lag drains to 0', async () => {
      const pool = new pg.Pool({
        connectionString: server.url,
        max: 4,
        connectionTimeoutMillis: 500,
      });
      pool.on('error', () => undefined);
      const postgres = new PostgresTier(pgSqlClient(pool));
      const redis = await createRedisClient(TEST_REDIS_URL);
      const { keyspace, memory } = buffered(uniqueId('t'));
      const store = await createTieredStore({
        keyspace,
        cache: new RedisTier(redis),
        postgres,
        sweepIntervalMs: 0,
        writeBehind: { flushIntervalMs: 200, pollMs: 50, maxRetryDelayMs: 400 },
      });
      const acked: Record<string, number> = {};
      let running = true;
      const writers = Array.from({ length: 4 }, async (_, w) => {
        for (let i = 0; running; i++) {
          const userId = `w${w}-${i % 50}`;
          await store.set(memory.key({ userId }), i);
          acked[userId] = i;
          await sleep(2);
        }
      });
      await sleep(400);
      await server.stop();
      await sleep(1200);
      const during = (await store.writeBehindStatus())!;
      await server.start();
      await sleep(600);
      running = false;
      await Promise.all(writers);
      let status = await store.writeBehindStatus();
      for (let i = 0; i < 100 && status!.pending > 0; i++) {
        await sleep(100);
        status = await store.writeBehindStatus();
      }
      console.info(
        `PostgreSQL outage: pending ${during.pending} (oldest ${during.oldestPendingAgeMs} ms, ${during.failures} failed flushes) -> ${status!.pending}`,
      );
      expect(during.failures).toBeGreaterThan(0);
      expect(during.pending).toBeGreaterThan(0);
      expect(during.lastError).toMatch(/PostgreSQL is unavailable/);
      expect(status!.pending).toBe(0);
      expect(await lostIn(postgres, memory, acked)).toBe(0);
      await store.close();
      await dropKeyspace(redis, keyspace);
      redis.disconnect();
      await pool.end();
    }, 60_000);
  });

  describe('with a throwaway Redis', () => {
    let redisServer: RedisServer | undefined;
    afterAll(async () => redisServer?.stop());

    it('Redis unreachable: a buffered write goes straight to PostgreSQL', async () => {
      redisServer = await startRedisServer();
      const redis = await createRedisClient(redisServer.url);
      const { keyspace, memory } = buffered(uniqueId('t'));
      const store = await createTieredStore({
        keyspace,
        cache: new RedisTier(redis),
        postgres: shared.tier,
        sweepIntervalMs: 0,
      });
      await redisServer.stop();
      const ref = memory.key({ userId: 'offline' });
      // update() must not compute from PostgreSQL, which may lag unflushed journal entries.
      await expect(store.update(ref, () => 'computed from a stale base')).rejects.toMatchObject({
        code: 'HS_TIER_UNAVAILABLE',
      });
      await store.set(ref, 'kept');
      expect(JSON.parse((await shared.tier.read([ref]))[0]!.value)).toBe('kept');
      expect(await store.get(ref)).toBe('kept');
      await store.close();
      redis.disconnect();
    });

    it.each([
      ['without persistence', [], 'all unflushed writes'],
      [
        'with appendonly yes, appendfsync always',
        ['--appendonly', 'yes', '--appendfsync', 'always'],
        'nothing',
      ],
    ])(
      'loss window: Redis killed %s loses %s',
      async (label, args) => {
        const server = await startRedisServer(args);
        const redis = await createRedisClient(server.url);
        const { keyspace, memory } = buffered(uniqueId('t'));
        const store = await createTieredStore({
          keyspace,
          cache: new RedisTier(redis),
          postgres: shared.tier,
          sweepIntervalMs: 0,
          writeBehind: { flushIntervalMs: 3_600_000, pollMs: 3_600_000 },
        });
        const acked: Record<string, number> = {};
        for (let i = 0; i < 500; i++) {
          await store.set(memory.key({ userId: `u${i}` }), i);
          acked[`u${i}`] = i;
        }
        await server.kill();
        await server.start();
        for (let i = 0; i < 100 && (await store.health()).tiers.redis.status !== 'up'; i++)
          await sleep(50);
        await store.flush();
        const lost = await lostIn(shared.tier, memory, acked);
        console.info(
          `loss window, Redis killed ${label}: ${lost} of 500 acknowledged buffered writes lost`,
        );
        expect(lost).toBe(args.length === 0 ? 500 : 0);
        await store.close();
        redis.disconnect();
        await server.stop();
      },
      30_000,
    );
  });
});
