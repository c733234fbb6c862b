import { createRedisClient, createTieredStore, Keyspace, RedisTier } from '@hybridstate/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  dropKeyspace,
  freePort,
  type RedisServer,
  startRedisServer,
  TEST_DATABASE_URL,
  TEST_REDIS_URL,
  type TestPostgres,
  testPostgres,
  uniqueId,
} from '../../../test-support/index.ts';
import { jsonOf, runHybridstate } from './run-hybridstate.ts';

const ENV = { REDIS_URL: TEST_REDIS_URL, DATABASE_URL: TEST_DATABASE_URL };

describe('hybridstate migrate, flush and keys, run as child processes', () => {
  let pg: TestPostgres;
  let guarded: RedisServer;
  const keyspace = new Keyspace({ prefix: uniqueId('c') });
  const memory = keyspace.family({
    name: 'user_memory',
    key: 'user_memory:{userId}',
    durability: 'buffered',
    ttlMs: 3_600_000,
  });
  const scene = keyspace.family({
    name: 'scene',
    key: 'scene:{userId}',
    durability: 'ephemeral',
    ttlMs: 60_000,
  });

  beforeAll(async () => {
    pg = await testPostgres();
    guarded = await startRedisServer(['--requirepass', 'right']);
  });

  afterAll(async () => {
    const redis = await createRedisClient(TEST_REDIS_URL);
    await dropKeyspace(redis, keyspace);
    redis.disconnect();
    await guarded.stop();
    await pg.cleanup();
  });

  const cli = (args: string[], env: Record<string, string> = ENV) =>
    runHybridstate([...args, '--prefix', keyspace.prefix, '--schema', pg.schema], env);

  it('migrate creates a fresh schema once; a second run changes nothing', async () => {
    const schema = uniqueId('hs_m_');
    try {
      const first = await runHybridstate(['migrate', '--schema', schema, '--json'], ENV);
      expect(jsonOf(first)).toEqual({ schema, applied: [1], version: 1 });
      const second = await runHybridstate(['migrate', '--schema', schema], ENV);
      expect(second.stdout).toContain(`schema "${schema}" is up to date`);
      expect(second.code).toBe(0);
    } finally {
      await pg.pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    }
  });

  it('flush copies buffered writes another process journaled; keys counts them per family', async () => {
    const redis = await createRedisClient(TEST_REDIS_URL);
    const store = await createTieredStore({
      keyspace,
      cache: new RedisTier(redis),
      postgres: pg.tier,
      sweepIntervalMs: 0,
      writeBehind: { enabled: false },
    });
    await store.setMany([
      ...[1, 2, 3].map((userId) => ({ ref: memory.key({ userId }), value: { history: [userId] } })),
      { ref: scene.key({ userId: 1 }), value: { step: 'lot' } },
    ]);
    await store.close();
    redis.disconnect();

    const before = jsonOf<{ pending: Record<string, number> }>(await cli(['keys', '--json']));
    expect(before.pending).toEqual({ user_memory: 3 });

    const flushed = await cli(['flush', '--json']);
    expect(jsonOf(flushed)).toMatchObject({
      flushed: 3,
      pendingBefore: 3,
      pendingAfter: 0,
      deadLetters: 0,
    });
    const { rows } = await pg.pool.query(
      `SELECT key FROM ${pg.schema}.hs_kv WHERE namespace = $1 ORDER BY key`,
      [memory.namespace],
    );
    expect(rows.map((r) => r.key)).toEqual(['user_memory:1', 'user_memory:2', 'user_memory:3']);

    const keys = jsonOf<{
      redis: { groups: { shape: string; keys: number; ttl: { none: number } }[] };
      postgres: { family: string; rows: number }[];
      pending: Record<string, number>;
    }>(await cli(['keys', '--json']));
    expect(keys.redis.groups.map((g) => [g.shape, g.keys, g.ttl.none])).toEqual([
      ['scene:*', 1, 0],
      ['user_memory:*', 3, 0],
    ]);
    expect(keys.postgres).toMatchObject([{ family: 'user_memory', rows: 3 }]);
    expect(keys.pending).toEqual({});

    const text = await cli(['keys', 'user_memory']);
    expect(text.stdout).toMatch(/user_memory:\*\s+3/);
    expect(text.stdout).not.toContain('scene:*');

    // Without --prefix the CLI takes the server's HS_KEY_PREFIX, as a deployment sets it.
    const fromVariable = jsonOf<{ redis: { groups: { shape: string; keys: number }[] } }>(
      await runHybridstate(['keys', '--json', '--schema', pg.schema], {
        ...ENV,
        HS_KEY_PREFIX: keyspace.prefix,
      }),
    );
    expect(fromVariable.redis.groups.map((g) => [g.shape, g.keys])).toEqual([
      ['scene:*', 1],
      ['user_memory:*', 3],
    ]);
  });

  it('refuses to start with a wrong Redis password or a refused port: one line, exit 1', async () => {
    for (const command of ['flush', 'keys', 'import']) {
      const args = command === 'import' ? ['import', '--legacy'] : [command];
      const wrong = await cli(args, {
        REDIS_URL: `redis://default:nope@127.0.0.1:${guarded.port}`,
        DATABASE_URL: TEST_DATABASE_URL,
      });
      expect(wrong.code, command).toBe(1);
      expect(wrong.stdout, command).toBe('');
      expect(wrong.stderr.trim().split('\n'), command).toHaveLength(1);
      expect(wrong.stderr, command).toMatch(/rejected the credentials from REDIS_URL\. Fix: copy/);
      expect(wrong.stderr, command).not.toContain('nope');
    }
    const refused = await cli(['flush'], {
      REDIS_URL: TEST_REDIS_URL,
      DATABASE_URL: `postgres://postgres@127.0.0.1:${await freePort()}/test`,
    });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/PostgreSQL refused the connection: nothing listens on/);
  });

  it('answers unknown commands and options with usage and exit 2', async () => {
    const typo = await runHybridstate(['docter']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toBe(
      'hybridstate: Unknown command "docter". Did you mean "doctor"? Commands: doctor, migrate, flush, keys, import (see hybridstate --help).\n',
    );
    const option = await runHybridstate(['keys', '--everything']);
    expect(option.code).toBe(2);
    expect(option.stderr).toMatch(/Unknown option '--everything'.*hybridstate keys --help/);
    const extra = await runHybridstate(['flush', 'now']);
    expect(extra.code).toBe(2);
    const badPrefix = await runHybridstate(['keys'], { ...ENV, HS_KEY_PREFIX: '9 lives' });
    expect(badPrefix.code).toBe(2);
    expect(badPrefix.stderr).toMatch(/HS_KEY_PREFIX="9 lives" is not a valid key prefix/);
    const help = await runHybridstate(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('doctor');
  });
});
