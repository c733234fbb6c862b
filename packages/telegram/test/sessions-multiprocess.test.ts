import { fileURLToPath } from 'node:url';
import { createRedisClient, Keyspace } from '@hybridstate/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  dropKeyspace,
  type RedisServer,
  runWorker,
  startRedisServer,
  TEST_DATABASE_URL,
  TEST_REDIS_URL,
  type TestPostgres,
  testPostgres,
  uniqueId,
} from '../../../test-support/index.ts';

const WORKER = fileURLToPath(new URL('./workers/session-worker.ts', import.meta.url));
const PROCESSES = 3;
const UPDATES = 200;

interface WorkerResult {
  handled: number;
  deliveries: number;
  failures: string[];
}

const run = (env: Record<string, string>) => runWorker<WorkerResult>(WORKER, env);

describe(`${PROCESSES} bot processes x ${UPDATES} concurrent updates of one user (real grammY)`, () => {
  let pg: TestPostgres;
  beforeAll(async () => {
    pg = await testPostgres();
  });
  const prefixes: string[] = [];
  afterAll(async () => {
    const redis = await createRedisClient(TEST_REDIS_URL);
    for (const prefix of prefixes) await dropKeyspace(redis, new Keyspace({ prefix }));
    redis.disconnect();
    await pg?.cleanup();
  });

  async function visits(prefix: string, userId: number): Promise<unknown> {
    const rows = await pg.pool.query(
      `SELECT value FROM ${pg.schema}.hs_kv WHERE namespace = $1 AND key = $2`,
      [`${prefix}:session_userSession`, `session:userSession:${userId}`],
    );
    return rows.rows[0]?.value;
  }

  it('counts exactly 600', async () => {
    const prefix = uniqueId('t');
    prefixes.push(prefix);
    const env = {
      HS_PREFIX: prefix,
      HS_SCHEMA: pg.schema,
      HS_USER: '777',
      HS_COUNT: String(UPDATES),
      TEST_DATABASE_URL,
      TEST_REDIS_URL,
    };
    const results = await Promise.all(Array.from({ length: PROCESSES }, () => run(env)));
    expect(results.map((r) => r.failures)).toEqual([[], [], []]);
    expect(await visits(prefix, 777)).toEqual({ visits: PROCESSES * UPDATES });
  }, 120_000);

  describe('with Redis restarted in the middle', () => {
    let server: RedisServer;
    beforeAll(async () => {
      server = await startRedisServer();
    });
    afterAll(async () => server?.stop());

    it('still counts exactly 600 (failed deliveries are redelivered, as Telegram does)', async () => {
      const prefix = uniqueId('t');
      const env = {
        HS_PREFIX: prefix,
        HS_SCHEMA: pg.schema,
        HS_USER: '778',
        HS_COUNT: String(UPDATES),
        HS_DELAY_MS: '10',
        TEST_DATABASE_URL,
        TEST_REDIS_URL: server.url,
      };
      let finished = 0;
      const workers = Promise.all(
        Array.from({ length: PROCESSES }, () => run(env).finally(() => finished++)),
      );
      await new Promise((resolve) => setTimeout(resolve, 2000));
      const progress = await visits(prefix, 778);
      await server.stop();
      const stoppedWhileRunning = finished === 0;
      await new Promise((resolve) => setTimeout(resolve, 1000));
      await server.start();
      const results = await workers;
      const deliveries = results.reduce((n, r) => n + r.deliveries, 0);
      console.info(
        `Redis stopped at ${JSON.stringify(progress)} of ${PROCESSES * UPDATES}; ${deliveries} deliveries; failures seen: ${JSON.stringify([...new Set(results.flatMap((r) => r.failures))])}`,
      );
      expect(stoppedWhileRunning).toBe(true);
      expect(await visits(prefix, 778)).toEqual({ visits: PROCESSES * UPDATES });
    }, 180_000);
  });
});
