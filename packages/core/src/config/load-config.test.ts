import { describe, expect, it } from 'vitest';
import { describeConfig, loadConfig } from './load-config.ts';

describe('loadConfig', () => {
  it('uses embedded defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config.redis).toEqual({ mode: 'memory', source: 'embedded' });
    expect(config.postgres).toEqual({
      mode: 'pglite',
      source: 'embedded',
      dataDir: './.data/pglite',
    });
    expect(config.port).toBe(3000);
  });

  it('prefers REDIS_URL, then REDIS_PUBLIC_URL, then REDISHOST, then REDIS_HOST', () => {
    const all = {
      REDIS_URL: 'redis://default:s3cret@private:6379',
      REDIS_PUBLIC_URL: 'redis://default:s3cret@proxy.example:41234',
      REDISHOST: 'railway-private',
      REDISPORT: '6380',
      REDISUSER: 'default',
      REDISPASSWORD: 's3cret',
      REDIS_HOST: 'plain',
    };
    expect(loadConfig(all).redis).toMatchObject({
      source: 'REDIS_URL',
      url: 'redis://default:s3cret@private:6379',
    });
    expect(loadConfig({ ...all, REDIS_URL: '' }).redis).toMatchObject({
      source: 'REDIS_PUBLIC_URL',
    });
    const { REDIS_URL, REDIS_PUBLIC_URL, ...railway } = all;
    expect(loadConfig(railway).redis).toMatchObject({
      source: 'REDISHOST',
      url: 'redis://default:s3cret@railway-private:6380',
    });
    expect(loadConfig({ REDIS_HOST: 'plain', REDIS_PASSWORD: 'p@ss' }).redis).toMatchObject({
      source: 'REDIS_HOST',
      url: 'redis://:p%40ss@plain:6379',
    });
  });

  it('prefers DATABASE_URL, then DATABASE_PUBLIC_URL, then PGHOST', () => {
    expect(
      loadConfig({ DATABASE_URL: 'postgres://u:p@db/app', PGHOST: 'x' }).postgres,
    ).toMatchObject({ source: 'DATABASE_URL' });
    expect(
      loadConfig({ DATABASE_PUBLIC_URL: 'postgresql://u:p@proxy:5433/app' }).postgres,
    ).toMatchObject({ source: 'DATABASE_PUBLIC_URL' });
    expect(
      loadConfig({
        PGHOST: 'db',
        PGUSER: 'app',
        PGPASSWORD: 'pw',
        PGDATABASE: 'main',
        PGPORT: '5433',
      }).postgres,
    ).toMatchObject({ source: 'PGHOST', url: 'postgres://app:pw@db:5433/main' });
  });

  it('redacts passwords in what it logs', () => {
    const config = loadConfig({
      REDIS_URL: 'redis://default:topsecret@h:1',
      DATABASE_URL: 'postgres://u:hunter2@db/app',
    });
    const lines = describeConfig(config);
    expect(JSON.stringify(lines)).not.toMatch(/topsecret|hunter2/);
    expect(lines.redis).toBe('Redis: using REDIS_URL (redis://default:***@h:1)');
    expect(lines.postgres).toContain('DATABASE_URL');
    expect(config.presentVariables).toEqual(['REDIS_URL', 'DATABASE_URL']);
  });

  it.each([
    [{ REDIS_URL: 'not a url' }, 'REDIS_URL'],
    [{ REDIS_URL: 'http://h:1' }, 'REDIS_URL'],
    [{ REDIS_PUBLIC_URL: 'redis://' }, 'REDIS_PUBLIC_URL'],
    [{ DATABASE_URL: 'mysql://h/db' }, 'DATABASE_URL'],
    [{ REDISPORT: '6379', REDISPASSWORD: 'x' }, 'REDISHOST'],
    [{ REDISHOST: 'h', REDISPORT: 'abc' }, 'REDISPORT'],
    [{ REDIS_PASSWORD: 'x' }, 'REDIS_HOST'],
    [{ PGPASSWORD: 'x' }, 'PGHOST'],
    [{ PORT: '70000' }, 'PORT'],
  ])('refuses %j naming %s, without echoing secrets', (env, variable) => {
    try {
      loadConfig(env);
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ code: 'HS_CONFIG_INVALID' });
      expect((error as Error).message).toContain(variable);
      expect((error as Error).message).not.toContain('x@');
    }
  });
});
