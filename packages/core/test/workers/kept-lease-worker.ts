/**
 * Child process for the kept-lease crash test: takes the lease of one key with a long keep
 * and a short lease (HS_LEASE_MS), writes HS_VALUE, prints "held" and waits to be killed.
 */

import { openWorkerStore } from '../../../../test-support/worker-store.ts';
import { Keyspace } from '../../src/index.ts';

const env = process.env;
const keyspace = new Keyspace({ prefix: env.HS_PREFIX!, shards: 4 });
const family = keyspace.family({
  name: 'e',
  key: 'e:{id}',
  durability: 'ephemeral',
  ttlMs: 600_000,
});
const { store } = await openWorkerStore(keyspace);
const ref = family.key({ id: env.HS_KEY! });
const held = await store.lock([ref], { leaseMs: Number(env.HS_LEASE_MS), keepMs: 600_000 });
await held.commit([{ ref, value: env.HS_VALUE }]);
process.stdout.write('held\n');
setInterval(() => undefined, 60_000);
