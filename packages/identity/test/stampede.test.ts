import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  runWorker,
  TEST_DATABASE_URL,
  TEST_REDIS_URL,
  uniqueId,
} from '../../../test-support/index.ts';
import { type IdentityWorld, identityWorld } from './identity-setup.ts';

let world: IdentityWorld;
beforeAll(async () => {
  world = await identityWorld();
});
afterAll(async () => world.cleanup());

const contexts = [{ name: 'web', schema: 'web', caches: [{ name: 'rates', ttlMs: 300 }] }];

it('3 processes hit one expired hot key at once: the loader runs once', async () => {
  const counter = `${world.keyspace.prefix}:${uniqueId('loads')}`;
  const web = world.stack('web', { contexts });
  expect(await web.cache.getOrSet('rates', 'hot', () => ({ rate: 41, by: 0 }))).toEqual({
    rate: 41,
    by: 0,
  });
  await new Promise((resolve) => setTimeout(resolve, 400)); // expired everywhere
  const env = {
    REDIS_URL: TEST_REDIS_URL,
    DATABASE_URL: TEST_DATABASE_URL,
    KEY_PREFIX: world.keyspace.prefix,
    SCHEMA_PREFIX: world.schemaPrefix,
    CONTEXTS: JSON.stringify(contexts),
    COUNTER_KEY: counter,
    BARRIER_KEY: `${counter}:barrier`,
    PROCESSES: '3',
  };
  const worker = fileURLToPath(new URL('./stampede-worker.ts', import.meta.url));
  const results = await Promise.all(
    [1, 2, 3].map(() => runWorker<{ values: { rate: number; by: number }[] }>(worker, env)),
  );
  expect(Number(await world.redis.get(counter))).toBe(1);
  const all = results.flatMap((r) => r.values);
  expect(all).toHaveLength(60);
  expect(all.every((v) => v.rate === 42)).toBe(true);
  expect(new Set(all.map((v) => v.by)).size).toBe(1); // every process got the one load's value
  await world.redis.del(counter, `${counter}:barrier`);
}, 90_000);
