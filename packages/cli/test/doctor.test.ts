import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  freePort,
  type RedisServer,
  startRedisServer,
  TEST_DATABASE_URL,
  TEST_REDIS_URL,
  type TestPostgres,
  testPostgres,
  uniqueId,
} from '../../../test-support/index.ts';
import { CHECK_IDS, type DoctorReport } from '../src/index.ts';
import { dropPrefixes, jsonOf, runHybridstate } from './run-hybridstate.ts';

const PASSWORD = 's3cret-pass';

describe('hybridstate doctor, run as a child process', () => {
  let pg: TestPostgres;
  let guarded: RedisServer;
  const prefix = uniqueId('d');

  beforeAll(async () => {
    pg = await testPostgres();
    guarded = await startRedisServer(['--requirepass', PASSWORD]);
  });

  afterAll(async () => {
    await guarded.stop();
    await dropPrefixes([prefix]);
    await pg.cleanup();
  });

  const doctor = (env: Record<string, string>) =>
    runHybridstate(['doctor', '--json', '--prefix', prefix, '--schema', pg.schema], env);

  it('passes every check against the real Redis and PostgreSQL, in the stable JSON shape', async () => {
    const run = await doctor({ REDIS_URL: TEST_REDIS_URL, DATABASE_URL: TEST_DATABASE_URL });
    const report = jsonOf<DoctorReport>(run);
    expect(report).toMatchObject({ version: 1, status: 'ok', prefix, schema: pg.schema });
    expect(report.checks.map((c) => c.id)).toEqual([...CHECK_IDS]);
    expect(report.checks.map((c) => c.status)).toEqual(CHECK_IDS.map(() => 'ok'));
    expect(report.checks.find((c) => c.id === 'redis')?.details).toMatchObject({
      source: 'REDIS_URL',
      latencyMs: expect.any(Number),
    });
    expect(run.code).toBe(0);
  });

  it('reads Railway-style variables (REDISHOST..., PGHOST...) and never prints the password', async () => {
    const db = new URL(TEST_DATABASE_URL);
    const run = await doctor({
      REDISHOST: '127.0.0.1',
      REDISPORT: String(guarded.port),
      REDISUSER: 'default',
      REDISPASSWORD: PASSWORD,
      PGHOST: db.hostname,
      PGPORT: db.port,
      PGUSER: db.username,
      PGDATABASE: db.pathname.slice(1),
    });
    const report = jsonOf<DoctorReport>(run);
    const config = report.checks.find((c) => c.id === 'config')!;
    expect(config.details).toMatchObject({
      redis: { source: 'REDISHOST', url: `redis://default:***@127.0.0.1:${guarded.port}` },
      postgres: { source: 'PGHOST' },
      redisVariables: ['REDISHOST', 'REDISPORT', 'REDISUSER', 'REDISPASSWORD'],
    });
    expect(report.status).toBe('ok');
    expect(run.stdout).not.toContain(PASSWORD);
    expect(run.code).toBe(0);
  });

  it('explains a wrong Redis password in one line, exits 1, and skips what needs Redis', async () => {
    const run = await doctor({
      REDIS_URL: `redis://default:wrong-one@127.0.0.1:${guarded.port}`,
      DATABASE_URL: TEST_DATABASE_URL,
    });
    const report = jsonOf<DoctorReport>(run);
    const redis = report.checks.find((c) => c.id === 'redis')!;
    expect(redis).toMatchObject({ status: 'fail', details: { failure: 'auth' } });
    expect(redis.summary).toContain('rejected the credentials from REDIS_URL');
    expect(redis.fix).toContain('REDIS_URL');
    expect(report.checks.find((c) => c.id === 'roundtrip')?.status).toBe('skip');
    expect(report.status).toBe('fail');
    expect(run.stdout).not.toContain('wrong-one');
    expect(run.code).toBe(1);
  });

  it('explains a port nothing listens on, and a private Railway hostname used from outside', async () => {
    const port = await freePort();
    const refused = jsonOf<DoctorReport>(
      await doctor({ REDIS_URL: `redis://127.0.0.1:${port}`, DATABASE_URL: TEST_DATABASE_URL }),
    );
    expect(refused.checks.find((c) => c.id === 'redis')).toMatchObject({
      status: 'fail',
      details: { failure: 'refused' },
    });
    const railway = await doctor({
      REDIS_URL: 'redis://default:pw@redis.railway.internal:6379',
      DATABASE_URL: TEST_DATABASE_URL,
    });
    const redis = jsonOf<DoctorReport>(railway).checks.find((c) => c.id === 'redis')!;
    expect(redis.details).toMatchObject({ failure: 'private-host' });
    expect(redis.fix).toContain('REDIS_PUBLIC_URL');
    expect(railway.code).toBe(1);
  });

  it('explains rediss:// against a server without TLS as a TLS mismatch', async () => {
    const run = await doctor({
      REDIS_URL: `rediss://default:${PASSWORD}@127.0.0.1:${guarded.port}`,
      DATABASE_URL: TEST_DATABASE_URL,
    });
    const redis = jsonOf<DoctorReport>(run).checks.find((c) => c.id === 'redis')!;
    expect(redis.details).toMatchObject({ failure: 'tls' });
    expect(redis.fix).toContain('redis://');
    expect(run.code).toBe(1);
  });

  it('prints one line per check as text', async () => {
    const run = await runHybridstate(['doctor', '--prefix', prefix, '--schema', pg.schema], {
      REDIS_URL: `redis://127.0.0.1:${await freePort()}`,
      DATABASE_URL: TEST_DATABASE_URL,
    });
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toContain('hybridstate doctor');
    expect(lines.some((l) => /^FAIL\s+redis\s+Redis refused the connection/.test(l))).toBe(true);
    expect(lines.some((l) => l.trim().startsWith('fix: start Redis'))).toBe(true);
    expect(lines.at(-1)).toMatch(/^result: FAIL/);
    expect(run.code).toBe(1);
  });

  it('fails a half-set group of variables naming the missing one', async () => {
    const run = await doctor({ REDISPORT: '6379', REDISPASSWORD: 'x' });
    const report = jsonOf<DoctorReport>(run);
    expect(report.checks[0]).toMatchObject({ id: 'config', status: 'fail' });
    expect(report.checks[0]!.summary).toContain('REDISHOST');
    expect(run.code).toBe(1);
  });
});
