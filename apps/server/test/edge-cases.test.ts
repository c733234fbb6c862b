import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AdminClient,
  newTelegramId,
  type PlatformFixture,
  platformFixture,
} from './support/platform-fixture.ts';

describe('edge: database conflicts, rejected values, failed logins, UI routes, payout notices', () => {
  let f: PlatformFixture;
  let admin: AdminClient;
  let ui: string;

  beforeAll(async () => {
    ui = await mkdtemp(join(tmpdir(), 'hs-ui-'));
    await writeFile(join(ui, 'index.html'), '<!doctype html><title>admin</title>');
    await writeFile(join(ui, 'app.js'), 'console.log(1)');
    f = await platformFixture({ staticUis: [{ prefix: '/admin/', root: ui }] });
    admin = await f.signIn('admin');
  });
  afterAll(async () => {
    await f?.cleanup();
    await rm(ui, { recursive: true, force: true });
  });

  it('answers a duplicate scenario command with 409 CONFLICT and a NUL byte with 400', async () => {
    const scenario = { name: 'Quiz', command: 'quiz', steps: [{ type: 'text', text: 'Hi' }] };
    const first = await f.app.inject({
      method: 'POST',
      url: '/api/admin/scenarios',
      headers: admin.headers,
      payload: scenario,
    });
    expect(first.statusCode).toBe(201);
    const second = await f.app.inject({
      method: 'POST',
      url: '/api/admin/scenarios',
      headers: admin.headers,
      payload: scenario,
    });
    expect(second.statusCode).toBe(409);
    expect(second.json().error.code).toBe('CONFLICT');
    const nul = await f.app.inject({
      method: 'POST',
      url: '/api/admin/buttons',
      headers: admin.headers,
      payload: { label: 'a\u0000b', action: 'balance' },
    });
    expect(nul.statusCode).toBe(400);
    expect(nul.json().error.code).toBe('VALIDATION_FAILED');
  });

  it('audits a failed login as denied', async () => {
    const response = await f.app.inject({
      method: 'POST',
      url: '/api/admin/login',
      payload: { email: 'Intruder@Test.local', password: 'guess' },
    });
    expect(response.statusCode).toBe(401);
    expect((await f.platform.audit.list(1, 0)).items[0]).toMatchObject({
      adminEmail: 'intruder@test.local',
      action: 'admin.login',
      outcome: 'denied',
    });
  });

  it('refuses logins for an email after 10 failures (429, Retry-After), even with the right password', async () => {
    const email = `victim-${Date.now()}@test.local`;
    await f.platform.admins.upsert(email, 'right-password-123', 'viewer');
    const attempt = (password: string) =>
      f.app.inject({
        method: 'POST',
        url: '/api/admin/login',
        payload: { email, password },
        remoteAddress: `10.0.0.${Math.floor(Math.random() * 200) + 1}`,
      });
    for (let i = 0; i < 10; i++) expect((await attempt(`wrong-${i}`)).statusCode).toBe(401);
    const blocked = await attempt('right-password-123');
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().error.code).toBe('RATE_LIMITED');
    expect(blocked.json().error.message).toMatch(/Try again in \d+ min/);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    // Nothing else changed: the refused attempt is not audited as another failure.
    const denied = await f.platform.audit.recentDeniedLogins(email, '-', 60_000);
    expect(denied.byEmail).toBe(10);
    // Other accounts are not locked out.
    expect((await f.signIn('admin')).headers).toBeDefined();
  });

  it("serves a built UI's files, its index.html for its own routes, and JSON 404s elsewhere", async () => {
    const file = await f.app.inject({ method: 'GET', url: '/admin/app.js' });
    expect(file.statusCode).toBe(200);
    const deep = await f.app.inject({ method: 'GET', url: '/admin/users/12' });
    expect(deep.statusCode).toBe(200);
    expect(deep.body).toContain('<title>admin</title>');
    const missingFile = await f.app.inject({ method: 'GET', url: '/admin/missing.js' });
    expect(missingFile.statusCode).toBe(404);
    const api = await f.app.inject({ method: 'GET', url: '/api/nothing' });
    expect(api.statusCode).toBe(404);
    expect(api.json().error.code).toBe('NOT_FOUND');
    const redirect = await f.app.inject({ method: 'GET', url: '/admin' });
    expect(redirect.statusCode).toBe(302);
  });

  it('tells the user in the bot when their payout is approved', async () => {
    const actor = {
      adminId: 'test',
      email: 'fixture@test.local',
      role: 'admin' as const,
      ip: '127.0.0.1',
    };
    const task = await f.platform.tasks.create(actor, {
      title: 'Pay',
      rewardMinor: 500,
      type: 'link',
      url: 'https://e.com',
    });
    const id = newTelegramId();
    const { user } = await f.platform.users.register({ id, firstName: 'Pat' });
    await f.platform.completions.complete(user, task.id);
    const { payout } = await f.platform.payouts.request(user, {
      amountMinor: 250,
      method: 'card',
      details: 'x',
    });
    await f.app.inject({
      method: 'POST',
      url: `/api/admin/payouts/${payout.id}/approve`,
      headers: admin.headers,
    });
    let log = await f.platform.messages.recent(id);
    for (let i = 0; i < 100 && log.length === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      log = await f.platform.messages.recent(id);
    }
    expect(log.map((m) => [m.direction, m.text])).toEqual([
      ['out', 'Your payout of 2.50 USD was approved and is on its way.'],
    ]);
  });
});
