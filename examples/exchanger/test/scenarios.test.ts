import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cookieFrom, type ExchangerWorld, exchangerWorld, sessionHash } from './exchanger-world.ts';

/** Seed 001's three scenarios ("Практические схемы взаимодействия"), end to end over HTTP. */
describe('exchanger: seed 001 scenarios (Fastify inject, per-application roles, real PostgreSQL and Redis)', () => {
  let world: ExchangerWorld;
  let webSession: string;
  let adminSession: string;

  beforeAll(async () => {
    world = await exchangerWorld();
    await world.createUser('alice@example.com', 'alice-secret');
    await world.createUser('root@example.com', 'root-secret', { admin: ['admin'] });
    const web = await world.apps.web.app.inject({
      method: 'POST',
      url: '/login',
      payload: { email: 'alice@example.com', password: 'alice-secret' },
    });
    expect(web.statusCode).toBe(200);
    webSession = cookieFrom(web.headers['set-cookie'], 'web_sid');
    const admin = await world.apps.admin.app.inject({
      method: 'POST',
      url: '/login',
      payload: { email: 'root@example.com', password: 'root-secret' },
    });
    expect(admin.statusCode).toBe(200);
    adminSession = cookieFrom(admin.headers['set-cookie'], 'admin_sid');
  });
  afterAll(async () => {
    await world?.cleanup();
  });

  it('1: a web login creates a web session in PostgreSQL and in Redis (identity:session:web, 24 h)', async () => {
    const { rows } = await world.owner.query(
      `SELECT application_context, u.email, expires_at > now() + interval '23 hours' AS day
       FROM ${world.schemas.identity}.sessions s JOIN ${world.schemas.identity}.users u ON u.id = s.user_id
       WHERE id_hash = decode($1, 'hex')`,
      [sessionHash(webSession)],
    );
    expect(rows).toEqual([{ application_context: 'web', email: 'alice@example.com', day: true }]);
    const key = world.redisKey('identity.session.web', { idHash: sessionHash(webSession) });
    expect(key).toContain(':identity:session:web:');
    expect(await world.redis.exists(key)).toBe(1);
    const ttl = await world.redis.pttl(key);
    expect(ttl).toBeGreaterThan(23 * 3_600_000);
    expect(ttl).toBeLessThanOrEqual(24 * 3_600_000);
    // Neither tier holds the id itself: the key and the row carry its SHA-256 only.
    expect(key).not.toContain(webSession);
    const holders = await world.owner.query(
      `SELECT count(*)::int AS n FROM ${world.schemas.identity}.sessions
       WHERE position($1 in encode(id_hash, 'escape') || session_data::text) > 0`,
      [webSession],
    );
    expect(holders.rows).toEqual([{ n: 0 }]);
    const me = await world.apps.web.app.inject({
      url: '/me',
      headers: { cookie: `web_sid=${webSession}` },
    });
    expect(me.json()).toMatchObject({ email: 'alice@example.com', permissions: [] });
  });

  it('2: an admin session is verified from Redis, and from PostgreSQL after Redis loses it', async () => {
    const cookie = { cookie: `admin_sid=${adminSession}` };
    const key = world.redisKey('identity.session.admin', { idHash: sessionHash(adminSession) });
    expect(
      (await world.apps.admin.app.inject({ url: '/metrics/cpu.load', headers: cookie })).statusCode,
    ).toBe(200);

    // HIT: with the admin role's PostgreSQL cut, the session (and the 15 min metrics cache) come from Redis.
    await world.adminProxy.cut();
    const fromRedis = await world.apps.admin.app.inject({
      url: '/metrics/cpu.load',
      headers: cookie,
    });
    expect(fromRedis.statusCode).toBe(200);
    expect(fromRedis.json()).toEqual({ name: 'cpu.load', samples: [] });
    await world.adminProxy.restore();

    // MISS: Redis lost the copy (eviction, restart); PostgreSQL verifies it and the copy is restored.
    expect(await world.redis.del(key)).toBe(1);
    const fromPostgres = await world.apps.admin.app.inject({ url: '/audit-logs', headers: cookie });
    expect(fromPostgres.statusCode).toBe(200);
    expect(fromPostgres.json()).toEqual([
      expect.objectContaining({ action: 'login', resourceType: 'session' }),
    ]);
    expect(await world.redis.exists(key)).toBe(1);
  });

  it('3: the web stack asked for an admin session id gets nothing from Redis nor PostgreSQL', async () => {
    const hash = sessionHash(adminSession);
    expect(await world.apps.web.stack.sessions.get(adminSession)).toBeNull();
    const me = await world.apps.web.app.inject({
      url: '/me',
      headers: { cookie: `web_sid=${adminSession}` },
    });
    expect(me.statusCode).toBe(401);
    expect(me.json()).toMatchObject({ code: 'EXCHANGER_NOT_AUTHENTICATED' });
    // Redis: no such key in the web namespace (and the failed lookup restored nothing there).
    expect(await world.redis.exists(world.redisKey('identity.session.web', { idHash: hash }))).toBe(
      0,
    );
    expect(
      await world.redis.exists(world.redisKey('identity.session.admin', { idHash: hash })),
    ).toBe(1);
    // PostgreSQL: even a hand-written query as the web role sees no admin session row (row-level security)...
    const asWeb = await world.roles.web.query(
      `SELECT count(*)::int AS n FROM ${world.schemas.identity}.sessions WHERE id_hash = decode($1, 'hex')`,
      [hash],
    );
    expect(asWeb.rows).toEqual([{ n: 0 }]);
    const asOwner = await world.owner.query(
      `SELECT application_context FROM ${world.schemas.identity}.sessions WHERE id_hash = decode($1, 'hex')`,
      [hash],
    );
    expect(asOwner.rows).toEqual([{ application_context: 'admin' }]);
    // ...nor any admin table, nor the bot's.
    await expect(
      world.roles.web.query(`SELECT 1 FROM ${world.schemas.admin}.audit_logs`),
    ).rejects.toThrow(/permission denied/);
    await expect(
      world.roles.web.query(`SELECT 1 FROM ${world.schemas.bot}.conversations`),
    ).rejects.toThrow(/permission denied/);
    // And the other way round: the admin app does not accept the web session.
    const admin = await world.apps.admin.app.inject({
      url: '/audit-logs',
      headers: { cookie: `admin_sid=${webSession}` },
    });
    expect(admin.statusCode).toBe(401);
  });
});
