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
  it('reads a Redis Cluster from REDIS_CLUSTER_NODES before any URL', () => {
    const config = loadConfig({
      REDIS_CLUSTER_NODES: ' 10.0.0.1:7000, 10.0.0.2:7001 ,10.0.0.3:7002',
      REDIS_PASSWORD: 's3cret',
      REDIS_URL: 'redis://other:6379',
    });
    expect(config.redis).toMatchObject({
      mode: 'redis',
      source: 'REDIS_CLUSTER_NODES',
      cluster: [
        { host: '10.0.0.1', port: 7000 },
        { host: '10.0.0.2', port: 7001 },
        { host: '10.0.0.3', port: 7002 },
      ],
    });
    if (config.redis.mode !== 'redis') throw new Error('expected Redis');
    expect(new URL(config.redis.url).password).toBe('s3cret');
    expect(config.redis.redactedUrl).not.toContain('s3cret');
    expect(config.presentVariables).toContain('REDIS_CLUSTER_NODES');
  });

  it('takes cluster credentials from a URL entry, and ?cluster=true on a URL', () => {
    const fromEntry = loadConfig({
      REDIS_CLUSTER_NODES: 'redis://app:pw@node-1:7000,node-2:7001',
    });
    if (fromEntry.redis.mode !== 'redis') throw new Error('expected Redis');
    expect(new URL(fromEntry.redis.url).username).toBe('app');
    expect(fromEntry.redis.cluster).toHaveLength(2);
    const flagged = loadConfig({ REDIS_URL: 'rediss://:pw@node-1:7000?cluster=true' });
    expect(flagged.redis).toMatchObject({
      source: 'REDIS_URL',
      url: 'rediss://:pw@node-1:7000',
      cluster: [{ host: 'node-1', port: 7000 }],
    });
    const single = loadConfig({ REDIS_URL: 'redis://node-1:7000?cluster=false' });
    expect(single.redis).not.toHaveProperty('cluster');
  });

  it('rejects a malformed cluster list, naming the variable', () => {
    for (const value of [',', 'node-1', 'node-1:7000,http://x:1']) {
      expect(() => loadConfig({ REDIS_CLUSTER_NODES: value })).toThrow(/REDIS_CLUSTER_NODES/);
    }
    expect(() => loadConfig({ REDIS_URL: 'redis://h:1?cluster=yes' })).toThrow(/cluster=true/);
  });
});
