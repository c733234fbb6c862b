import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RedisServer, startRedisServer } from '../../../test-support/index.ts';
import { cookieFrom, type ExchangerWorld, exchangerWorld, sessionHash } from './exchanger-world.ts';

/** Scenario 2 with Redis really losing everything: its server stopped and started empty. */
describe('exchanger: sessions survive a Redis restart without persistence (own redis-server)', () => {
  let server: RedisServer;
  let world: ExchangerWorld;

  beforeAll(async () => {
    server = await startRedisServer();
    world = await exchangerWorld({ redisUrl: server.url });
    await world.createUser('root@example.com', 'root-secret', { admin: ['admin'] });
  });
  afterAll(async () => {
    await server?.start().catch(() => undefined);
    await world?.cleanup();
    await server?.stop();
  });

  it('verifies the admin session from PostgreSQL while Redis is down and after it comes back empty', async () => {
    const login = await world.apps.admin.app.inject({
      method: 'POST',
      url: '/login',
      payload: { email: 'root@example.com', password: 'root-secret' },
    });
    const id = cookieFrom(login.headers['set-cookie'], 'admin_sid');
    const request = () =>
      world.apps.admin.app.inject({ url: '/audit-logs', headers: { cookie: `admin_sid=${id}` } });
    const key = world.redisKey('identity.session.admin', { idHash: sessionHash(id) });
    expect(await world.redis.exists(key)).toBe(1);

    await server.stop();
    const during = await request();
    expect(during.statusCode).toBe(200);
    expect(during.json()).toEqual([expect.objectContaining({ action: 'login' })]);

    await server.start(); // empty: no persistence
    // Answered from PostgreSQL until the stack's circuit closes again, then the copy is back in Redis.
    let restored = 0;
    while (restored === 0) {
      expect((await request()).statusCode).toBe(200);
      restored = world.redis.status === 'ready' ? await world.redis.exists(key) : 0;
      if (restored === 0) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const ttl = await world.redis.pttl(key);
    expect(ttl).toBeGreaterThan(23 * 3_600_000);
  });
});
