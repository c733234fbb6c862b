/**
 * Child process for the multi-process update test: runs HS_COUNT concurrent increments of one
 * key through its own store (own connections), then prints how many it acknowledged.
 */

import { openWorkerStore } from '../../../../test-support/worker-store.ts';
import { type Durability, Keyspace } from '../../src/index.ts';

const env = process.env;
const durability = (env.HS_DURABILITY ?? 'durable') as Durability;
const keyspace = new Keyspace({ prefix: env.HS_PREFIX! });
const counter = keyspace.family({
  name: 'counter',
  key: 'counter:{id}',
  durability,
  ttlMs: 600_000,
});
const { store, close } = await openWorkerStore(keyspace);

const ref = counter.key({ id: env.HS_ID! });
const count = Number(env.HS_COUNT);
const results = await Promise.allSettled(
  Array.from({ length: count }, () =>
    store.update(ref, (n: unknown) => ((n as number | undefined) ?? 0) + 1),
  ),
);
const acknowledged = results.filter((r) => r.status === 'fulfilled').length;
const failures = results.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : []));
process.stdout.write(JSON.stringify({ acknowledged, failures: failures.slice(0, 3) }));
await close();
