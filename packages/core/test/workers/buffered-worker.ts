/**
 * Child process for the write-behind crash tests. Writes HS_COUNT buffered values (one per
 * key), prints the acknowledged values as one JSON line, then either flushes (printing
 * FLUSHING first, so the parent can SIGKILL it mid-flush) or waits for SIGTERM and closes.
 */

import { openWorkerStore } from '../../../../test-support/worker-store.ts';
import { Keyspace } from '../../src/index.ts';

const env = process.env;
const keyspace = new Keyspace({ prefix: env.HS_PREFIX!, shards: 4 });
const memory = keyspace.family({
  name: 'user_memory',
  key: 'user_memory:{userId}',
  durability: 'buffered',
});
const { store, close } = await openWorkerStore(keyspace, {
  flushIntervalMs: 3_600_000,
  pollMs: 3_600_000,
  batchSize: Number(env.HS_BATCH ?? 500),
});

const count = Number(env.HS_COUNT);
const acked: Record<string, number> = {};
let next = 0;
await Promise.all(
  Array.from({ length: 32 }, async () => {
    for (let i = next++; i < count; i = next++) {
      await store.set(memory.key({ userId: `u${i}` }), i);
      acked[`u${i}`] = i;
    }
  }),
);
process.stdout.write(`${JSON.stringify({ acked })}\n`);

if (env.HS_MODE === 'flush') {
  process.stdout.write('FLUSHING\n');
  await store.flush();
  process.stdout.write('FLUSHED\n');
  process.exit(0);
} else {
  process.once('SIGTERM', async () => {
    await close();
    process.stdout.write('CLOSED\n');
    process.exit(0);
  });
  process.stdout.write('READY\n');
}
