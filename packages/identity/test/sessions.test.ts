import { createHash } from 'node:crypto';
import { createRedisClient } from '@hybridstate/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type RedisServer,
  startRedisServer,
  startTcpProxy,
  type TcpProxy,
} from '../../../test-support/index.ts';
import { type IdentityWorld, identityWorld } from './identity-setup.ts';

let server: RedisServer;
let proxy: TcpProxy;
let world: IdentityWorld;
/** A direct connection to the test's Redis, not through the proxy the stacks use. */
let inspect: Awaited<ReturnType<typeof createRedisClient>>;
beforeAll(async () => {
  server = await startRedisServer();
  inspect = await createRedisClient(server.url);
  proxy = await startTcpProxy(server.port);
  world = await identityWorld({ redisUrl: `redis://127.0.0.1:${proxy.port}` });
});
afterAll(async () => {
  inspect.disconnect();
  await world.cleanup();
  await proxy.close();
  await server.stop();
});

const sessionKeys = () => inspect.keys(`{${world.keyspace.prefix}:*}:identity:session:*`);

describe('SessionStorage', () => {
  it('Redis flushed between create and get: the session comes back from PostgreSQL and Redis is restored', async () => {
    const web = world.stack('web');
    const { id, session } = await web.sessions.create(await world.createUser(), {
      cart: new Map([['sku', 2]]),
      at: new Date('2026-01-01'),
    });
    expect(session.context).toBe('web');
    expect(await sessionKeys()).toHaveLength(1);
    await inspect.flushall();
    expect(await sessionKeys()).toHaveLength(0);

    const back = await web.sessions.get(id);
    expect(back?.data).toEqual({ cart: new Map([['sku', 2]]), at: new Date('2026-01-01') });
    expect(await sessionKeys()).toHaveLength(1);
    const ttl = await inspect.pttl((await sessionKeys())[0]!);
    expect(ttl).toBeGreaterThan(23 * 3_600_000);
    expect(ttl).toBeLessThanOrEqual(24 * 3_600_000);
  });

  it('touch slides the expiry, setData replaces the data in both tiers, delete removes it', async () => {
    const web = world.stack('web', { sessions: { ttlMs: 60_000, touchIntervalMs: 1_000 } });
    const { id, session } = await web.sessions.create(await world.createUser(), { n: 1 });
    expect((await web.sessions.touch(id))?.expiresAt).toEqual(session.expiresAt); // within the interval
    const { rows } = await world.owner.query(
      `UPDATE "${world.schemaPrefix}identity".sessions SET expires_at = expires_at - interval '30 seconds', version = version + 1 RETURNING expires_at`,
    );
    expect(rows.length).toBeGreaterThan(0);
    const touched = await web.sessions.touch(id); // Redis still has the old copy: no write needed yet
    expect(touched).not.toBeNull();
    const set = await web.sessions.setData(id, { n: 2 });
    expect(set?.data).toEqual({ n: 2 });
    expect((await web.sessions.get(id))?.data).toEqual({ n: 2 });
    expect(await web.sessions.delete(id)).toBe(true);
    expect(await web.sessions.get(id)).toBeNull();
    expect(await web.sessions.delete(id)).toBe(false);
  });

  it('touch moves a session near its end to a full ttl', async () => {
    const web = world.stack('web', { sessions: { ttlMs: 3_600_000, touchIntervalMs: 1_000 } });
    const { id } = await web.sessions.create(await world.createUser(), {}, 10_000);
    const touched = await web.sessions.touch(id);
    expect(touched!.expiresAt.getTime()).toBeGreaterThan(Date.now() + 3_500_000);
    const { rows } = await world.owner.query(
      `SELECT expires_at FROM "${world.schemaPrefix}identity".sessions WHERE expires_at > now() + interval '50 minutes'`,
    );
    expect(rows.length).toBeGreaterThan(0);
  });

  it('rotate gives a new id with the same data; the old one stops working at once', async () => {
    const web = world.stack('web');
    const { id } = await web.sessions.create(await world.createUser(), { cart: [1, 2] });
    const rotated = await web.sessions.rotate(id);
    expect(rotated?.id).not.toBe(id);
    expect(rotated?.session.data).toEqual({ cart: [1, 2] });
    expect(await web.sessions.get(id)).toBeNull();
    expect((await web.sessions.get(rotated!.id))?.data).toEqual({ cart: [1, 2] });
  });

  it('revokeAll ends every session of a user in this context only', async () => {
    const web = world.stack('web');
    const telegram = world.stack('telegram');
    const userId = await world.createUser();
    const ids = await Promise.all([1, 2, 3].map(() => web.sessions.create(userId, {})));
    const bot = await telegram.sessions.create(userId, {});
    expect(await web.sessions.revokeAll(userId)).toBe(3);
    for (const { id } of ids) expect(await web.sessions.get(id)).toBeNull();
    expect(await telegram.sessions.get(bot.id)).not.toBeNull();
  });

  it('a reader that loaded a session from PostgreSQL cannot revive it after a concurrent delete', async () => {
    const web = world.stack('web');
    const userId = await world.createUser();
    for (let i = 0; i < 30; i++) {
      const { id } = await web.sessions.create(userId, { i });
      await inspect.del(...(await sessionKeys()));
      await Promise.all([web.sessions.get(id), web.sessions.delete(id), web.sessions.get(id)]);
      expect(await web.sessions.get(id)).toBeNull();
    }
  });

  it('expired rows are swept; an expired session is "no session" before that', async () => {
    const web = world.stack('web');
    const userId = await world.createUser();
    const { id } = await web.sessions.create(userId, {}, 1);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(await web.sessions.get(id)).toBeNull();
    expect(await web.sessions.sweepExpired()).toBeGreaterThanOrEqual(1);
    const { rows } = await world.owner.query(
      `SELECT count(*)::int AS n FROM "${world.schemaPrefix}identity".sessions WHERE expires_at <= now()`,
    );
    expect(rows[0].n).toBe(0);
  });

  it('creating a session for an unknown or malformed user is HS_USER_NOT_FOUND', async () => {
    const web = world.stack('web');
    await expect(
      web.sessions.create('00000000-0000-4000-8000-000000000000', {}),
    ).rejects.toMatchObject({
      code: 'HS_USER_NOT_FOUND',
    });
    await expect(web.sessions.create('42; DROP TABLE users', {})).rejects.toMatchObject({
      code: 'HS_USER_NOT_FOUND',
    });
  });

  it('Redis cut: sessions keep working from PostgreSQL', async () => {
    const web = world.stack('web');
    const userId = await world.createUser();
    const kept = await web.sessions.create(userId, { keep: true });
    await proxy.cut();
    expect((await web.sessions.get(kept.id))?.data).toEqual({ keep: true });
    const during = await web.sessions.create(userId, { during: true });
    expect((await web.sessions.get(during.id))?.data).toEqual({ during: true });
    await proxy.restore();
    await untilReady();
  });

  it('a revocation whose tombstone could not reach Redis holds after Redis returns', async () => {
    const web = world.stack('web');
    const userId = await world.createUser();
    const kept = await web.sessions.create(userId, { keep: true });
    const doomed = await web.sessions.create(userId, { keep: false });
    await proxy.cut();
    expect(await web.sessions.delete(doomed.id)).toBe(true); // one failed Redis call only
    // The danger: Redis still holds doomed's live copy (the tombstone never arrived).
    const hash = createHash('sha256').update(doomed.id).digest('hex');
    const [doomedKey] = (await sessionKeys()).filter((key) => key.endsWith(hash));
    expect((await inspect.get(doomedKey!))?.split('|')[1]).toBe(userId);
    await proxy.restore();
    await untilReady();
    await new Promise((resolve) => setTimeout(resolve, 1500)); // past the breaker's probe
    expect(await web.sessions.get(doomed.id)).toBeNull();
    expect((await web.sessions.get(kept.id))?.data).toEqual({ keep: true });
    expect(await inspect.exists(doomedKey!)).toBe(0);
  });
});

async function untilReady(): Promise<void> {
  for (let i = 0; i < 100 && world.redis.status !== 'ready'; i++)
    await new Promise((resolve) => setTimeout(resolve, 50));
  expect(world.redis.status).toBe('ready');
}
