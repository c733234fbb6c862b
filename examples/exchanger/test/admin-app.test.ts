import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cookieFrom, type ExchangerWorld, exchangerWorld } from './exchanger-world.ts';

describe('exchanger admin app: audit logs, metrics cached 15 min, reports cached 1 h', () => {
  let world: ExchangerWorld;
  let root: { cookie: string };

  beforeAll(async () => {
    world = await exchangerWorld();
    await world.createUser('root@example.com', 'root-secret', { admin: ['admin'] });
    // A web permission named "admin" is not an admin permission.
    await world.createUser('alice@example.com', 'alice-secret', { web: ['admin'] });
    const response = await world.apps.admin.app.inject({
      method: 'POST',
      url: '/login',
      payload: { email: 'root@example.com', password: 'root-secret' },
    });
    root = { cookie: `admin_sid=${cookieFrom(response.headers['set-cookie'], 'admin_sid')}` };
  });
  afterAll(async () => {
    await world?.cleanup();
  });

  it('lets in only accounts with the admin permission in the admin context', async () => {
    const response = await world.apps.admin.app.inject({
      method: 'POST',
      url: '/login',
      payload: { email: 'alice@example.com', password: 'alice-secret' },
    });
    expect(response.statusCode).toBe(403);
    expect(response.headers['set-cookie']).toBeUndefined();
    expect((await world.apps.admin.app.inject({ url: '/audit-logs' })).statusCode).toBe(401);
  });

  it('caches a metric 15 min, drops the cache when a sample is recorded, audits the change', async () => {
    const read = async () =>
      (
        await world.apps.admin.app.inject({ url: '/metrics/orders.per_minute', headers: root })
      ).json();
    expect(await read()).toEqual({ name: 'orders.per_minute', samples: [] });
    const ttl = await world.redis.pttl(
      world.redisKey('cache.admin.metrics', { key: 'orders.per_minute' }),
    );
    expect(ttl).toBeGreaterThan(5 * 60_000);
    expect(ttl).toBeLessThanOrEqual(15 * 60_000);
    const recorded = await world.apps.admin.app.inject({
      method: 'POST',
      url: '/metrics',
      headers: root,
      payload: { name: 'orders.per_minute', value: 12 },
    });
    expect(recorded.statusCode).toBe(201);
    expect((await read()).samples).toEqual([expect.objectContaining({ value: '12.00000000' })]);
    const bad = await world.apps.admin.app.inject({
      method: 'POST',
      url: '/metrics',
      headers: root,
      payload: { name: 'Bad Name!', value: 1 },
    });
    expect(bad.statusCode).toBe(400);
    const logs = (await world.apps.admin.app.inject({ url: '/audit-logs', headers: root })).json();
    expect(logs.map((l: { action: string }) => l.action)).toEqual(['metric.record', 'login']);
    expect(logs[0]).toMatchObject({ resourceId: 'orders.per_minute', newValues: { value: 12 } });
  });

  it('generates a report once per hour: the second request is served from the cache', async () => {
    const first = await world.apps.admin.app.inject({
      url: '/reports/audit-summary',
      headers: root,
    });
    expect(first.json()).toEqual({
      type: 'audit-summary',
      rows: [
        { action: 'login', count: 1 },
        { action: 'metric.record', count: 1 },
      ],
    });
    const second = await world.apps.admin.app.inject({
      url: '/reports/audit-summary',
      headers: root,
    });
    expect(second.json()).toEqual(first.json());
    const { rows } = await world.owner.query(
      `SELECT count(*)::int AS n FROM ${world.schemas.admin}.reports WHERE type = 'audit-summary'`,
    );
    expect(rows).toEqual([{ n: 1 }]);
    const ttl = await world.redis.pttl(
      world.redisKey('cache.admin.reports', { key: 'audit-summary' }),
    );
    expect(ttl).toBeGreaterThan(30 * 60_000);
    expect(ttl).toBeLessThanOrEqual(60 * 60_000);
    expect(
      (await world.apps.admin.app.inject({ url: '/reports/nope', headers: root })).statusCode,
    ).toBe(404);
  });
});
