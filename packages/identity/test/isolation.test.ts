import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IdentityWorld, identityWorld } from './identity-setup.ts';

let world: IdentityWorld;
beforeAll(async () => {
  world = await identityWorld();
});
afterAll(async () => world.cleanup());

const sha = (id: string) => createHash('sha256').update(id).digest();

describe('application contexts cannot read each other', () => {
  it("seed 001's scenario 3: the web stack asks for an admin session id and gets nothing, from Redis and from PostgreSQL", async () => {
    const admin = world.stack('admin');
    const web = world.stack('web');
    const userId = await world.createUser();
    const { id } = await admin.sessions.create(userId, { role: 'admin' });
    expect((await admin.sessions.get(id))?.data).toEqual({ role: 'admin' });

    expect(await web.sessions.get(id)).toBeNull();
    // Redis: the web namespace has no such key, and the admin key does not name the raw id.
    const hash = sha(id).toString('hex');
    const adminKeys = await world.redis.keys(
      `{${world.keyspace.prefix}:*}:identity:session:admin:*`,
    );
    expect(adminKeys).toHaveLength(1);
    expect(adminKeys[0]).toContain(hash);
    expect(adminKeys[0]).not.toContain(id);
    expect(await world.redis.keys(`{${world.keyspace.prefix}:*}:identity:session:web:*`)).toEqual(
      [],
    );
    // PostgreSQL: the web role sees no admin row even with a hand-written query (row-level security).
    const viaWebRole = await world
      .rolePool('web')
      .query(`SELECT * FROM "${world.schemaPrefix}identity".sessions WHERE id_hash = $1`, [
        sha(id),
      ]);
    expect(viaWebRole.rows).toEqual([]);
    const viaAdminRole = await world
      .rolePool('admin')
      .query(
        `SELECT application_context FROM "${world.schemaPrefix}identity".sessions WHERE id_hash = $1`,
        [sha(id)],
      );
    expect(viaAdminRole.rows).toEqual([{ application_context: 'admin' }]);
  });

  it('PostgreSQL stores only the hash of a session id', async () => {
    const web = world.stack('web');
    const { id } = await web.sessions.create(await world.createUser(), {});
    const dump = await world.owner.query(
      `SELECT encode(id_hash, 'hex') AS h, session_data::text AS d FROM "${world.schemaPrefix}identity".sessions`,
    );
    expect(JSON.stringify(dump.rows)).not.toContain(id);
    expect(dump.rows.map((r) => r.h)).toContain(sha(id).toString('hex'));
    expect(Buffer.from(id, 'base64url')).toHaveLength(32);
  });

  it('the web role cannot SELECT from the admin schema, nor write another context’s session', async () => {
    const webPool = world.rolePool('web');
    await expect(
      webPool.query(`SELECT * FROM "${world.schemaPrefix}admin".admin_settings`),
    ).rejects.toMatchObject({ code: '42501' });
    await expect(
      webPool.query(`SELECT * FROM "${world.schemaPrefix}bot".messages`),
    ).rejects.toMatchObject({
      code: '42501',
    });
    const userId = await world.createUser();
    await expect(
      webPool.query(
        `INSERT INTO "${world.schemaPrefix}identity".sessions (id_hash, user_id, application_context, expires_at) VALUES ($1, $2, 'admin', now() + interval '1 hour')`,
        [sha('forged'), userId],
      ),
    ).rejects.toMatchObject({ code: '42501' });
    // Its own schema and identity work.
    await webPool.query(`SELECT count(*) FROM "${world.schemaPrefix}web".orders`);
    await webPool.query(`SELECT count(*) FROM "${world.schemaPrefix}identity".users`);
  });

  it('bad ids give "no session" without throwing and touch nothing of another context', async () => {
    const admin = world.stack('admin');
    const web = world.stack('web');
    const userId = await world.createUser();
    const { id: adminId } = await admin.sessions.create(userId, { x: 1 });
    const { id: expired } = await web.sessions.create(userId, {}, 1);
    const { id: revoked } = await web.sessions.create(userId, {});
    await web.sessions.delete(revoked);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const adminKeys = async () =>
      (await world.redis.keys(`{${world.keyspace.prefix}:*}:identity:session:admin:*`)).sort();
    const before = await adminKeys();
    const bad: unknown[] = [
      adminId,
      `${adminId.slice(0, -1)}A`,
      'not-a-session',
      '',
      'a:b:c',
      '*',
      `identity:session:admin:${adminId}`,
      '{hs:1}:*',
      'сессия-🔑',
      'x'.repeat(10_240),
      expired,
      revoked,
      undefined,
      null,
      42,
      { id: adminId },
    ];
    for (const id of bad) {
      await expect(web.sessions.get(id)).resolves.toBeNull();
      await expect(web.sessions.touch(id)).resolves.toBeNull();
      await expect(web.sessions.setData(id, { hacked: true })).resolves.toBeNull();
      await expect(web.sessions.rotate(id)).resolves.toBeNull();
    }
    expect((await admin.sessions.get(adminId))?.data).toEqual({ x: 1 });
    expect(await adminKeys()).toEqual(before);
    // Deleting with the admin id from the web stack deletes nothing in admin.
    expect(await web.sessions.delete(adminId)).toBe(false);
    expect(await web.sessions.revokeAll(userId)).toBe(1);
    expect((await admin.sessions.get(adminId))?.data).toEqual({ x: 1 });
  });
});
