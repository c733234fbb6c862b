import keyvTestSuite, { keyvIteratorTests } from '@keyv/test-suite';
import Keyv from 'keyv';
import * as vitest from 'vitest';
import {
  dropKeyspace,
  type TestPostgres,
  testKeyspace,
  testPostgres,
  testRedis,
} from '../../../test-support/index.ts';
import {
  createTieredStore,
  type KeyvFamily,
  KeyvTieredStore,
  RedisTier,
  type TieredStore,
} from '../src/index.ts';

// @keyv/test-suite against the tiered store on real Redis + PostgreSQL, once per durability.
const keyspace = testKeyspace();
const durable = keyspace.family({
  name: 'keyv',
  key: 'keyv:{key}',
  durability: 'durable',
}) as KeyvFamily;
const ephemeral = keyspace.family({
  name: 'keyv_eph',
  key: 'keyv_eph:{key}',
  durability: 'ephemeral',
  ttlMs: 600_000,
}) as KeyvFamily;
let pg: TestPostgres;
let redis: Awaited<ReturnType<typeof testRedis>>;
let store: TieredStore;

vitest.beforeAll(async () => {
  pg = await testPostgres();
  redis = await testRedis();
  store = await createTieredStore({
    keyspace,
    cache: new RedisTier(redis),
    postgres: pg.tier,
    sweepIntervalMs: 0,
  });
});
vitest.afterAll(async () => {
  await store?.close();
  await dropKeyspace(redis, keyspace);
  redis?.disconnect();
  await pg?.cleanup();
});

for (const family of [durable, ephemeral]) {
  vitest.describe(`Keyv adapter (${family.durability})`, () => {
    const make = () => new KeyvTieredStore(store, family);
    keyvTestSuite(vitest, Keyv, make);
    keyvIteratorTests(vitest, Keyv, make);
  });
}
