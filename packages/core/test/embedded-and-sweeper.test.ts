import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testKeyspace, testPostgres } from '../../../test-support/index.ts';
import {
  createTieredStore,
  Keyspace,
  loadConfig,
  MemoryTier,
  openPostgres,
  PostgresTier,
} from '../src/index.ts';

describe('embedded mode', () => {
  it('keeps durable data in PGlite under PGLITE_DATA_DIR across restarts', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hs-pglite-'));
    const config = loadConfig({ PGLITE_DATA_DIR: join(dir, 'pglite') });
    expect(config.postgres.mode).toBe('pglite');
    const open = async () => {
      const keyspace = new Keyspace({ prefix: 'embedded' });
      const notes = keyspace.family({ name: 'notes', key: 'notes:{id}', durability: 'durable' });
      const sql = await openPostgres(config.postgres);
      const store = await createTieredStore({
        keyspace,
        cache: new MemoryTier(),
        postgres: new PostgresTier(sql.sql),
      });
      return {
        store,
        ref: notes.key({ id: 1 }),
        async close() {
          await store.close();
          await sql.close();
        },
      };
    };
    const first = await open();
    await first.store.set(first.ref, { text: 'survives', at: new Date('2026-11-27T00:00:00Z') });
    await first.close();
    const second = await open(); // a new process would see the same: memory is empty, PGlite is not
    expect(await second.store.get(second.ref)).toEqual({
      text: 'survives',
      at: new Date('2026-11-27T00:00:00Z'),
    });
    await second.close();
    await rm(dir, { recursive: true, force: true });
  }, 60_000);
});

describe('expiry sweeper', () => {
  it('deletes expired rows and old tombstones from PostgreSQL, and only those', async () => {
    const pg = await testPostgres();
    const keyspace = testKeyspace();
    const session = keyspace.family({
      name: 'session',
      key: 'session:{id}',
      durability: 'durable',
      ttlMs: 60_000,
    });
    const store = await createTieredStore({
      keyspace,
      cache: new MemoryTier(),
      postgres: pg.tier,
      sweepIntervalMs: 0,
      tombstoneTtlMs: 100,
    });
    await store.set(session.key({ id: 'short' }), 1, { ttlMs: 100 });
    await store.set(session.key({ id: 'long' }), 2);
    await store.set(session.key({ id: 'deleted' }), 3);
    await store.delete(session.key({ id: 'deleted' }));
    const count = async () =>
      Number((await pg.pool.query(`SELECT count(*) AS n FROM ${pg.schema}.hs_kv`)).rows[0].n);
    expect(await count()).toBe(3); // the tombstone is a row until it ages out
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await pg.tier.sweepExpired()).toBe(2);
    expect(await count()).toBe(1);
    expect(await store.get(session.key({ id: 'long' }))).toBe(2);
    await store.close();
    await pg.cleanup();
  });
});
