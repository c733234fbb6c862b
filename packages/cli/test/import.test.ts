import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type RedisServer,
  startRedisServer,
  TEST_DATABASE_URL,
  TEST_REDIS_URL,
  type TestPostgres,
  testPostgres,
  uniqueId,
} from '../../../test-support/index.ts';
import { dropPrefixes, jsonOf, runHybridstate } from './run-hybridstate.ts';

const FIXTURE = fileURLToPath(new URL('./fixtures/backups', import.meta.url));
const ENV = { REDIS_URL: TEST_REDIS_URL, DATABASE_URL: TEST_DATABASE_URL };
const prefixes: string[] = [];
/** A fresh keyspace prefix, remembered so the Redis keys are dropped at the end. */
const freshPrefix = (label: string) => {
  const prefix = uniqueId(label);
  prefixes.push(prefix);
  return prefix;
};

interface ImportJson {
  dryRun: boolean;
  files: { file: string; records: number; created: number; unchanged: number; written: number }[];
}

describe('hybridstate import of a seed 000 backup folder', () => {
  let pg: TestPostgres;
  let scratch: string;

  beforeAll(async () => {
    pg = await testPostgres();
    scratch = await mkdtemp(join(tmpdir(), 'hs-import-'));
  });

  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true });
    await dropPrefixes(prefixes);
    await pg.cleanup();
  });

  const run = (prefix: string, ...args: string[]) =>
    runHybridstate(['import', ...args, '--prefix', prefix, '--schema', pg.schema], ENV);
  const rows = async (prefix: string) =>
    (
      await pg.pool.query<{ namespace: string; key: string; value: unknown }>(
        `SELECT namespace, key, value FROM ${pg.schema}.hs_kv WHERE namespace LIKE $1 AND value IS NOT NULL ORDER BY namespace, key`,
        [`${prefix}:%`],
      )
    ).rows;

  it('dry-runs by default, applies with --apply, and changes nothing when run again', async () => {
    const prefix = freshPrefix('i');
    const dry = await run(prefix, FIXTURE, '--json');
    expect(jsonOf<ImportJson>(dry)).toMatchObject({ dryRun: true });
    expect(jsonOf<ImportJson>(dry).files.map((f) => [f.file, f.created, f.written])).toEqual([
      ['kickstarters.json', 2, 0],
      ['users.json', 2, 0],
      ['months.json', 3, 0],
      ['settings.json', 3, 0],
    ]);
    expect(await rows(prefix)).toEqual([]);

    const applied = await run(prefix, FIXTURE, '--apply', '--json');
    expect(applied.code).toBe(0);
    expect(jsonOf<ImportJson>(applied).files.map((f) => f.written)).toEqual([2, 2, 3, 3]);
    const stored = await rows(prefix);
    expect(stored.map((r) => `${r.namespace.slice(prefix.length + 1)} ${r.key}`)).toEqual([
      'legacy_kickstarter legacy:kickstarter:0',
      'legacy_kickstarter legacy:kickstarter:1',
      'legacy_month legacy:month:2024_01:plus',
      'legacy_month legacy:month:2024_01:regular',
      'legacy_month legacy:month:2024_02:regular',
      'legacy_setting legacy:setting:pricePlus',
      'legacy_setting legacy:setting:priceRegular',
      'legacy_setting legacy:setting:welcomeText',
      'legacy_user legacy:user:123456789',
      'legacy_user legacy:user:987654321',
    ]);
    const users = JSON.parse(
      await readFile(join(FIXTURE, '2024-05-01T10-00-00', 'users.json'), 'utf8'),
    );
    expect(stored.find((r) => r.key === 'legacy:user:123456789')?.value).toEqual(
      users.list['123456789'],
    );

    const again = jsonOf<ImportJson>(await run(prefix, FIXTURE, '--apply', '--json'));
    expect(again.files.map((f) => [f.unchanged, f.written])).toEqual([
      [2, 0],
      [2, 0],
      [3, 0],
      [3, 0],
    ]);
    expect(await rows(prefix)).toEqual(stored);
  });

  it('keeps a stored value that differs from the backup unless --overwrite', async () => {
    const prefix = freshPrefix('i');
    await run(prefix, FIXTURE, '--apply');
    const dir = join(scratch, 'changed');
    await cp(join(FIXTURE, '2024-05-01T10-00-00'), dir, { recursive: true });
    await writeFile(
      join(dir, 'settings.json'),
      JSON.stringify({ welcomeText: 'Changed', priceRegular: '300', pricePlus: '500' }),
    );
    const kept = jsonOf<ImportJson & { files: { differing: number }[] }>(
      await run(prefix, dir, '--apply', '--json'),
    );
    expect(kept.files.at(-1)).toMatchObject({ file: 'settings.json', differing: 1, written: 0 });
    const replaced = jsonOf<ImportJson>(await run(prefix, dir, '--apply', '--overwrite', '--json'));
    expect(replaced.files.map((f) => f.written)).toEqual([0, 0, 0, 1]);
    const welcome = (await rows(prefix)).find((r) => r.key === 'legacy:setting:welcomeText');
    expect(welcome?.value).toBe('Changed');
  });

  it('refuses malformed JSON, a missing file, or a broken invariant with one line, writing nothing', async () => {
    const cases: [string, (dir: string) => Promise<void>, RegExp][] = [
      [
        'malformed',
        (d) => writeFile(join(d, 'months.json'), '{"list": {"2024": '),
        /months\.json is not valid JSON/,
      ],
      ['missing', (d) => rm(join(d, 'settings.json')), /settings\.json is missing/],
      [
        'invariant',
        (d) =>
          writeFile(
            join(d, 'months.json'),
            JSON.stringify({ list: { 2024: { '01': { regular: { counter: { joined: -1 } } } } } }),
          ),
        /months\.json: list\[2024\]\[01\]\.regular\.counter\.joined is -1/,
      ],
    ];
    for (const [name, spoil, message] of cases) {
      const dir = join(scratch, name);
      await cp(join(FIXTURE, '2024-05-01T10-00-00'), dir, { recursive: true });
      await spoil(dir);
      const prefix = freshPrefix('i');
      const result = await run(prefix, dir, '--apply');
      expect(result.code, name).toBe(1);
      expect(result.stdout, name).toBe('');
      expect(result.stderr.trim().split('\n'), name).toHaveLength(1);
      expect(result.stderr, name).toMatch(message);
      // kickstarters.json and users.json come first and are valid: still nothing was written.
      expect(await rows(prefix), name).toEqual([]);
    }
  });

  it('says what to do for a folder that holds no backup and for a wrong command line', async () => {
    const emptyDir = await mkdtemp(join(scratch, 'empty-'));
    const empty = await run(freshPrefix('i'), emptyDir);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(/holds no backup: expected kickstarters\.json/);
    const neither = await run(freshPrefix('i'));
    expect(neither.code).toBe(2);
    expect(neither.stderr).toMatch(/Give either a backup folder or --legacy/);
    const flag = await run(freshPrefix('i'), FIXTURE, '--aply');
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/Unknown option '--aply'/);
  });
});

describe('hybridstate import --legacy (seed 000 telegraf-session-redis keys)', () => {
  let legacy: RedisServer;
  let pg: TestPostgres;

  beforeAll(async () => {
    legacy = await startRedisServer();
    pg = await testPostgres();
    const { Redis } = await import('ioredis');
    const source = new Redis(legacy.url);
    await source.set(
      'global',
      JSON.stringify({ current: { year: '2024', month: '01' }, studios: [] }),
    );
    await source.set('123-user', JSON.stringify({ step: 'menu' }));
    await source.set('-100500-chat', JSON.stringify({ pinned: 7 }));
    await source.set('123:-100500', JSON.stringify({ __scenes: { current: 'lot' } }));
    await source.set('99-user', '{not json');
    source.disconnect();
  });

  afterAll(async () => {
    await legacy.stop();
    await dropPrefixes(prefixes);
    await pg.cleanup();
  });

  it('dry-runs, imports with --apply, and skips everything the second time', async () => {
    const prefix = freshPrefix('l');
    const args = [
      'import',
      '--legacy',
      '--from',
      legacy.url,
      '--prefix',
      prefix,
      '--schema',
      pg.schema,
      '--json',
    ];
    const dry = jsonOf<{ dryRun: boolean; imported: unknown[]; skipped: { from: string }[] }>(
      await runHybridstate(args, ENV),
    );
    expect(dry.dryRun).toBe(true);
    expect(dry.imported).toHaveLength(4);
    expect(dry.skipped.map((s) => s.from)).toEqual(['99-user']);
    const applied = jsonOf<{ imported: { to: string }[] }>(
      await runHybridstate([...args, '--apply'], ENV),
    );
    expect(applied.imported.map((i) => i.to).sort()).toEqual([
      'session:chatSession:-100500',
      'session:global',
      'session:scene:-100500:123',
      'session:userSession:123',
    ]);
    const again = jsonOf<{ imported: unknown[]; skipped: unknown[] }>(
      await runHybridstate([...args, '--apply'], ENV),
    );
    expect(again.imported).toEqual([]);
    expect(again.skipped).toHaveLength(5);
  });
});
