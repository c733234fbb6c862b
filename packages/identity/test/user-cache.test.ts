import { RedisMessageBus } from '@hybridstate/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testRedis } from '../../../test-support/index.ts';
import { type IdentityWorld, identityWorld } from './identity-setup.ts';

let world: IdentityWorld;
beforeAll(async () => {
  world = await identityWorld();
});
afterAll(async () => world.cleanup());

describe('UserCache', () => {
  it('gives each context the permissions granted in that context only', async () => {
    const web = world.stack('web');
    const admin = world.stack('admin');
    const userId = await world.createUser('perm@example.com');
    expect(await admin.users.grant(userId, 'payouts.approve')).toBe(true);
    expect(await web.users.grant(userId, 'orders.create')).toBe(true);
    expect((await admin.users.get(userId))?.permissions).toEqual(['payouts.approve']);
    expect((await web.users.get(userId))?.permissions).toEqual(['orders.create']);
    expect((await world.stack('telegram').users.get(userId))?.permissions).toEqual([]);
  });

  it('a change is seen at once in every context and on every instance', async () => {
    // Two instances of each app: separate stacks on the same Redis and PostgreSQL.
    const webA = world.stack('web');
    const webB = world.stack('web');
    const adminA = world.stack('admin');
    const userId = await world.createUser();
    expect((await webA.users.get(userId))?.emailVerified).toBe(false);
    expect((await webB.users.get(userId))?.emailVerified).toBe(false);
    expect((await adminA.users.get(userId))?.emailVerified).toBe(false);

    await adminA.users.updateUser(userId, { emailVerified: true });
    expect((await webA.users.get(userId))?.emailVerified).toBe(true);
    expect((await webB.users.get(userId))?.emailVerified).toBe(true);
    expect((await adminA.users.get(userId))?.emailVerified).toBe(true);

    await webB.users.grant(userId, 'orders.create');
    expect((await webA.users.get(userId))?.permissions).toEqual(['orders.create']);
    await webA.users.revoke(userId, 'orders.create');
    expect((await webB.users.get(userId))?.permissions).toEqual([]);
  });

  it('with the memory copy on, a change on one instance reaches the others over the Redis bus', async () => {
    const [redisA, redisB] = [await testRedis(), await testRedis()];
    const channelPrefix = `${world.keyspace.prefix}:`;
    const busA = new RedisMessageBus(redisA, { channelPrefix });
    const busB = new RedisMessageBus(redisB, { channelPrefix });
    await Promise.all([busA.settled(), busB.settled()]);
    const a = world.stack('admin', { bus: busA, users: { memoryTtlMs: 60_000 } });
    const b = world.stack('admin', { bus: busB, users: { memoryTtlMs: 60_000 } });
    const userId = await world.createUser();
    await a.users.grant(userId, 'viewer');
    expect((await b.users.get(userId))?.permissions).toEqual(['viewer']); // now in B's memory
    await world.redis.del(
      ...(await world.redis.keys(`{${world.keyspace.prefix}:*}:identity:user:*`)),
    );
    expect((await b.users.get(userId))?.permissions).toEqual(['viewer']); // served from memory
    await a.users.revoke(userId, 'viewer');
    for (let i = 0; i < 200 && (await b.users.get(userId))?.permissions.length !== 0; i++)
      await new Promise((resolve) => setTimeout(resolve, 10));
    expect((await b.users.get(userId))?.permissions).toEqual([]);
    await busA.close();
    await busB.close();
    redisA.disconnect();
    redisB.disconnect();
  });

  it('a reader holding rows older than a change cannot write them back', async () => {
    const web = world.stack('web');
    const userId = await world.createUser();
    for (let i = 0; i < 20; i++) {
      await Promise.all([
        web.users.get(userId),
        web.users.updateUser(userId, { emailVerified: i % 2 === 0 }),
        web.users.get(userId),
      ]);
      expect((await web.users.get(userId))?.emailVerified).toBe(i % 2 === 0);
    }
  });

  it('a second user with one email is HS_USER_EXISTS', async () => {
    const web = world.stack('web');
    await web.users.createUser('twice@example.com');
    await expect(web.users.createUser('twice@example.com')).rejects.toMatchObject({
      code: 'HS_USER_EXISTS',
    });
    const other = await web.users.createUser('other@example.com');
    await expect(web.users.updateUser(other, { email: 'twice@example.com' })).rejects.toMatchObject(
      {
        code: 'HS_USER_EXISTS',
      },
    );
  });

  it('unknown and malformed user ids are null, not errors', async () => {
    const web = world.stack('web');
    expect(await web.users.get('00000000-0000-4000-8000-000000000000')).toBeNull();
    for (const id of ['', 'abc', "'; DROP TABLE users; --", 'x'.repeat(10_000), 42, null]) {
      expect(await web.users.get(id)).toBeNull();
      expect(await web.users.grant(id as string, 'x')).toBe(false);
    }
  });
});
