import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AdminClient,
  type PlatformFixture,
  platformFixture,
} from './support/platform-fixture.ts';

describe('admin API (real PostgreSQL and Redis)', () => {
  let f: PlatformFixture;
  let admin: AdminClient;
  let viewer: AdminClient;

  beforeAll(async () => {
    f = await platformFixture();
    [admin, viewer] = await Promise.all([f.signIn('admin'), f.signIn('viewer')]);
  });
  afterAll(() => f?.cleanup());

  const inject = (options: InjectOptions) => f.app.inject(options);

  it('refuses a wrong password and an unknown email with the same 401', async () => {
    const wrong = await inject({
      method: 'POST',
      url: '/api/admin/login',
      payload: { email: admin.email, password: 'nope' },
    });
    const unknown = await inject({
      method: 'POST',
      url: '/api/admin/login',
      payload: { email: 'nobody@test.local', password: 'nope' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json()).toEqual(unknown.json());
    expect(wrong.json().error.code).toBe('INVALID_CREDENTIALS');
  });

  it('sets an httpOnly SameSite=Strict cookie and answers /me with the role and CSRF token', async () => {
    const me = await inject({
      method: 'GET',
      url: '/api/admin/me',
      headers: { cookie: viewer.cookie },
    });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({
      admin: { email: viewer.email, role: 'viewer' },
      csrfToken: viewer.csrf,
    });
    const login = await inject({
      method: 'POST',
      url: '/api/admin/login',
      payload: { email: admin.email, password: 'correct horse battery' },
    });
    const cookie = login.cookies.find((c) => c.name === 'hs_admin')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
  });

  it('needs the cookie (401) and, for a mutation, the CSRF header (403)', async () => {
    const anonymous = await inject({ method: 'GET', url: '/api/admin/buttons' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().error.code).toBe('UNAUTHENTICATED');
    const forged = await inject({
      method: 'GET',
      url: '/api/admin/buttons',
      headers: { cookie: 'hs_admin=forged-session-id' },
    });
    expect(forged.statusCode).toBe(401);
    const noCsrf = await inject({
      method: 'POST',
      url: '/api/admin/buttons',
      headers: { cookie: admin.cookie },
      payload: { label: 'Balance', action: 'balance' },
    });
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json().error.code).toBe('CSRF_INVALID');
    const wrongCsrf = await inject({
      method: 'POST',
      url: '/api/admin/buttons',
      headers: { cookie: admin.cookie, 'x-csrf-token': viewer.csrf },
      payload: { label: 'Balance', action: 'balance' },
    });
    expect(wrongCsrf.statusCode).toBe(403);
    expect((await f.platform.buttons.list()).length).toBe(0);
  });

  it('creates, updates, lists and deletes buttons, auditing each change and publishing buttons.*', async () => {
    const events: string[] = [];
    const stop = f.platform.sync.on('buttons.*', (e) => void events.push(e.type));
    const created = await inject({
      method: 'POST',
      url: '/api/admin/buttons',
      headers: admin.headers,
      payload: { label: 'Balance', action: 'balance', position: 2 },
    });
    expect(created.statusCode).toBe(201);
    const button = created.json();
    expect(button).toMatchObject({
      label: 'Balance',
      action: 'balance',
      payload: null,
      active: true,
    });
    const patched = await inject({
      method: 'PATCH',
      url: `/api/admin/buttons/${button.id}`,
      headers: admin.headers,
      payload: { label: 'My balance' },
    });
    expect(patched.json()).toMatchObject({ id: button.id, label: 'My balance', position: 2 });
    const list = await inject({
      method: 'GET',
      url: '/api/admin/buttons',
      headers: { cookie: viewer.cookie },
    });
    expect(list.json().items.map((b: { label: string }) => b.label)).toEqual(['My balance']);
    const deleted = await inject({
      method: 'DELETE',
      url: `/api/admin/buttons/${button.id}`,
      headers: admin.headers,
    });
    expect(deleted.statusCode).toBe(204);
    stop();
    expect(events).toEqual(['buttons.created', 'buttons.updated', 'buttons.deleted']);
    const audit = (
      await inject({
        method: 'GET',
        url: '/api/admin/audit?limit=3',
        headers: { cookie: admin.cookie },
      })
    ).json();
    expect(audit.items.map((a: { action: string }) => a.action)).toEqual([
      'buttons.delete',
      'buttons.update',
      'buttons.create',
    ]);
    expect(audit.items[1]).toMatchObject({
      adminEmail: admin.email,
      entityId: String(button.id),
      old: { label: 'Balance' },
      new: { label: 'My balance' },
      outcome: 'ok',
    });
  });

  it('answers bad input with 400 VALIDATION_FAILED that names the problem, never a 500', async () => {
    const cases = [
      { method: 'POST', url: '/api/admin/buttons', payload: { label: '', action: 'balance' } },
      { method: 'POST', url: '/api/admin/buttons', payload: { label: 'X', action: 'explode' } },
      {
        method: 'POST',
        url: '/api/admin/buttons',
        payload: { label: 'Site', action: 'link', payload: 'not a url' },
      },
      {
        method: 'POST',
        url: '/api/admin/tasks',
        payload: { title: 'Q', rewardMinor: 1.5, type: 'link' },
      },
      {
        method: 'POST',
        url: '/api/admin/tasks',
        payload: { title: 'Q', rewardMinor: 10, type: 'quiz' },
      },
      {
        method: 'POST',
        url: '/api/admin/scenarios',
        payload: { name: 'Loop', steps: [{ type: 'goto', step: 3 }] },
      },
      {
        method: 'PUT',
        url: '/api/admin/settings',
        payload: { welcomeText: 'Hi', minPayoutMinor: -1, currency: 'usd' },
      },
      { method: 'PATCH', url: '/api/admin/users/abc', payload: { status: 'banned' } },
    ] as const;
    for (const c of cases) {
      const response = await inject({ ...c, headers: admin.headers });
      expect(response.statusCode, `${c.method} ${c.url} ${JSON.stringify(c.payload)}`).toBe(400);
      expect(response.json().error.code).toBe('VALIDATION_FAILED');
      expect(response.json().error.message).toMatch(/^Invalid /);
    }
    const limit = await inject({
      method: 'GET',
      url: '/api/admin/users?limit=500',
      headers: admin.headers,
    });
    expect(limit.statusCode).toBe(400);
    expect(limit.json().error.message).toContain('limit');
    const malformed = await inject({
      method: 'POST',
      url: '/api/admin/buttons',
      headers: { ...admin.headers, 'content-type': 'application/json' },
      payload: '{"label": ',
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error).toHaveProperty('message');
    const missing = await inject({
      method: 'PATCH',
      url: '/api/admin/tasks/999999',
      headers: admin.headers,
      payload: {},
    });
    expect(missing.statusCode).toBe(404);
  });

  it("refuses a viewer's change with 403, changes nothing and audits the attempt as denied", async () => {
    const before = await f.platform.settings.get();
    const response = await inject({
      method: 'PUT',
      url: '/api/admin/settings',
      headers: viewer.headers,
      payload: { welcomeText: 'Hacked', minPayoutMinor: 1, currency: 'EUR' },
    });
    expect(response.statusCode).toBe(403);
    expect(response.json().error.code).toBe('FORBIDDEN');
    expect(await f.platform.settings.get()).toEqual(before);
    const audit = await f.platform.audit.list(1, 0);
    expect(audit.items[0]).toMatchObject({
      adminEmail: viewer.email,
      action: 'settings.update',
      entity: 'settings',
      outcome: 'denied',
    });
  });

  it('puts settings (settings.updated) and pages users with filters', async () => {
    const updated = await inject({
      method: 'PUT',
      url: '/api/admin/settings',
      headers: admin.headers,
      payload: { welcomeText: 'Hello there', minPayoutMinor: 500, currency: 'EUR' },
    });
    expect(updated.json()).toEqual({
      welcomeText: 'Hello there',
      minPayoutMinor: 500,
      currency: 'EUR',
    });
    expect(await f.platform.settings.get()).toMatchObject({ currency: 'EUR' });
    for (const [id, name] of [
      [11, 'Alice'],
      [12, 'Bob'],
      [13, 'Alina'],
    ] as const)
      await f.platform.users.register({ id: 9_100_000_000 + id, firstName: name });
    const page = (
      await inject({ method: 'GET', url: '/api/admin/users?q=ali&limit=1', headers: admin.headers })
    ).json();
    expect(page).toMatchObject({ total: 2, limit: 1, offset: 0 });
    expect(page.items).toHaveLength(1);
    const pastTheEnd = (
      await inject({
        method: 'GET',
        url: '/api/admin/users?q=ali&offset=10',
        headers: admin.headers,
      })
    ).json();
    expect(pastTheEnd).toMatchObject({ items: [], total: 2, offset: 10 });
    const user = page.items[0];
    const banned = await inject({
      method: 'PATCH',
      url: `/api/admin/users/${user.id}`,
      headers: admin.headers,
      payload: { status: 'banned' },
    });
    expect(banned.json()).toMatchObject({ id: user.id, status: 'banned' });
    const onlyBanned = (
      await inject({ method: 'GET', url: '/api/admin/users?status=banned', headers: admin.headers })
    ).json();
    expect(onlyBanned.items.map((u: { id: number }) => u.id)).toEqual([user.id]);
    const detail = (
      await inject({ method: 'GET', url: `/api/admin/users/${user.id}`, headers: admin.headers })
    ).json();
    expect(detail).toEqual({ user: expect.objectContaining({ id: user.id }), ledger: [] });
  });

  it('reports the system: tiers, write-behind, bus, gateway', async () => {
    const system = (
      await inject({ method: 'GET', url: '/api/admin/system', headers: { cookie: viewer.cookie } })
    ).json();
    expect(system).toMatchObject({
      tiers: {
        redis: { status: 'up', mode: 'redis' },
        postgres: { status: 'up', mode: 'postgres' },
      },
      bus: { connected: true, mode: 'redis' },
      gateway: { clients: 0 },
    });
    expect(system.writeBehind).toHaveProperty('pending');
  });

  it('ends the session on logout', async () => {
    const session = await f.signIn('admin');
    const out = await inject({
      method: 'POST',
      url: '/api/admin/logout',
      headers: session.headers,
    });
    expect(out.statusCode).toBe(204);
    const me = await inject({
      method: 'GET',
      url: '/api/admin/me',
      headers: { cookie: session.cookie },
    });
    expect(me.statusCode).toBe(401);
  });
});
