import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  runWorker,
  TEST_DATABASE_URL,
  TEST_REDIS_URL,
  type TestStack,
  testKeyspace,
  testStack,
  uniqueId,
} from '../../../test-support/index.ts';
import { RedisTier } from '../src/index.ts';

const WORKER = fileURLToPath(new URL('./workers/update-worker.ts', import.meta.url));
const PROCESSES = 3;
const UPDATES = 200;

const run = (env: Record<string, string>) =>
  runWorker<{ acknowledged: number; failures: string[] }>(WORKER, env);

describe(`${PROCESSES} OS processes x ${UPDATES} concurrent update() on one key`, () => {
  const keyspace = testKeyspace();
  let stack: TestStack;

  beforeAll(async () => {
    keyspace.family({ name: 'counter', key: 'counter:{id}', durability: 'durable' });
    stack = await testStack({ keyspace });
  });
  afterAll(async () => stack?.cleanup());

  it.each(['durable', 'ephemeral'] as const)(
    `%s: the final value is exactly ${PROCESSES * UPDATES}`,
    async (durability) => {
      const id = uniqueId('k');
      const env = {
        HS_DURABILITY: durability,
        HS_PREFIX: keyspace.prefix,
        HS_SCHEMA: stack.pg.schema,
        HS_ID: id,
        HS_COUNT: String(UPDATES),
        TEST_DATABASE_URL,
        TEST_REDIS_URL,
      };
      const results = await Promise.all(Array.from({ length: PROCESSES }, () => run(env)));
      expect(results.flatMap((r) => r.failures)).toEqual([]);
      expect(results.reduce((sum, r) => sum + r.acknowledged, 0)).toBe(PROCESSES * UPDATES);
      const counter = keyspace.get('counter');
      const ref = counter.key({ id } as never);
      if (durability === 'durable') {
        expect(await stack.store.get(ref)).toBe(PROCESSES * UPDATES);
        expect(JSON.parse((await stack.pg.tier.read([ref]))[0]!.value)).toBe(PROCESSES * UPDATES);
      } else {
        expect(JSON.parse((await new RedisTier(stack.redis).read([ref]))[0]!.value)).toBe(
          PROCESSES * UPDATES,
        );
      }
    },
    120_000,
  );
});
