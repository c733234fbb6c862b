import { PGlite } from '@electric-sql/pglite';
import {
  dropKeyspace,
  testKeyspace,
  testPostgres,
  testRedis,
} from '../../../test-support/index.ts';
import { MemoryTier, PostgresTier, pgliteSqlClient, RedisTier } from '../src/index.ts';
import { registerTierContract } from '../src/testing/index.ts';

registerTierContract('memory', async () => ({ tier: new MemoryTier(), keyspace: testKeyspace() }));

registerTierContract('redis', async () => {
  const redis = await testRedis();
  const keyspace = testKeyspace();
  return {
    tier: new RedisTier(redis),
    keyspace,
    async cleanup() {
      await dropKeyspace(redis, keyspace);
      redis.disconnect();
    },
  };
});

registerTierContract('postgres', async () => {
  const pg = await testPostgres();
  return { tier: pg.tier, keyspace: testKeyspace(), cleanup: pg.cleanup };
});

registerTierContract('pglite', async () => {
  const db = await PGlite.create();
  const tier = new PostgresTier(pgliteSqlClient(db));
  await tier.migrate();
  return { tier, keyspace: testKeyspace(), cleanup: () => db.close() };
});
