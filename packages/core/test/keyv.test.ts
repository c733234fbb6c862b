import keyvTestSuite, { keyvIteratorTests } from '@keyv/test-suite';
import Keyv from 'keyv';
import * as vitest from 'vitest';
import { type TestStack, testKeyspace, testStack } from '../../../test-support/index.ts';
import { type KeyvFamily, KeyvTieredStore, type TieredStore } from '../src/index.ts';

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
let stack: TestStack;
let store: TieredStore;

vitest.beforeAll(async () => {
  stack = await testStack({ keyspace });
  store = stack.store;
});
vitest.afterAll(async () => stack?.cleanup());

for (const family of [durable, ephemeral]) {
  vitest.describe(`Keyv adapter (${family.durability})`, () => {
    const make = () => new KeyvTieredStore(store, family);
    keyvTestSuite(vitest, Keyv, make);
    keyvIteratorTests(vitest, Keyv, make);
  });
}
