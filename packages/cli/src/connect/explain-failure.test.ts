import { describe, expect, it } from 'vitest';
import { explainFailure, type FailureTarget } from './explain-failure.ts';

const redis: FailureTarget = { tier: 'redis', source: 'REDIS_URL', host: 'h', port: 6379 };
const postgres: FailureTarget = { tier: 'postgres', source: 'PGHOST', host: 'db', port: 5432 };

const failure = (message: string, code?: string) => Object.assign(new Error(message), { code });

describe('explainFailure', () => {
  it.each([
    [failure('WRONGPASS invalid username-password pair'), redis, 'auth', 'REDIS_URL'],
    [
      failure('password authentication failed for user "app"', '28P01'),
      postgres,
      'auth',
      'PGPASSWORD',
    ],
    [
      failure('getaddrinfo ENOTFOUND h', 'ENOTFOUND'),
      redis,
      'dns',
      'fix the host name in REDIS_URL',
    ],
    [failure('connect ECONNREFUSED', 'ECONNREFUSED'), postgres, 'refused', 'PGHOST'],
    [failure('database "x" does not exist', '3D000'), postgres, 'database', 'create the database'],
    [
      failure('self-signed certificate in certificate chain', 'SELF_SIGNED_CERT_IN_CHAIN'),
      postgres,
      'tls',
      'sslmode',
    ],
    [failure('The server does not support SSL connections'), postgres, 'tls', 'sslmode'],
    [failure('connect ETIMEDOUT', 'ETIMEDOUT'), { ...redis, tls: true }, 'tls', 'rediss://'],
    [failure('connect ETIMEDOUT', 'ETIMEDOUT'), redis, 'timeout', 'firewall'],
  ])('%s -> %s', (error, target, kind, fix) => {
    const explained = explainFailure(error, target);
    expect(explained.kind).toBe(kind);
    expect(explained.fix).toContain(fix);
    expect(`${explained.summary}${explained.fix}`).not.toContain('\n');
  });

  it('points a private Railway hostname at the public URL variable', () => {
    const explained = explainFailure(failure('getaddrinfo ENOTFOUND', 'ENOTFOUND'), {
      ...postgres,
      source: 'DATABASE_URL',
      host: 'postgres.railway.internal',
    });
    expect(explained).toMatchObject({ kind: 'private-host' });
    expect(explained.fix).toContain('DATABASE_PUBLIC_URL');
  });

  it('finds the code on a wrapped cause', () => {
    const wrapped = new Error('connect failed', { cause: failure('x', 'ECONNREFUSED') });
    expect(explainFailure(wrapped, redis).kind).toBe('refused');
  });
});
