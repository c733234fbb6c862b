import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AdminClient,
  newTelegramId,
  type PlatformFixture,
  platformFixture,
} from './support/platform-fixture.ts';

describe('manual review of submitted tasks', () => {
  let f: PlatformFixture;
  let admin: AdminClient;
  const actor = {
    adminId: 'test',
    email: 'fixture@test.local',
    role: 'admin' as const,
    ip: '127.0.0.1',
  };

  beforeAll(async () => {
    f = await platformFixture();
    admin = await f.signIn('admin');
  });
  afterAll(() => f?.cleanup());

  it('approving pays the reward once; rejecting lets the user submit again', async () => {
    const task = await f.platform.tasks.create(actor, {
      title: 'Post a photo',
      rewardMinor: 400,
      type: 'manual',
    });
    const id = newTelegramId();
    const auth = { authorization: `tma ${f.initData({ id })}` };
    const submit = () =>
      f.app.inject({ method: 'POST', url: `/api/app/tasks/${task.id}/complete`, headers: auth });
    expect((await submit()).json().status).toBe('pending_review');
    const pending = (
      await f.app.inject({
        method: 'GET',
        url: '/api/admin/completions?status=pending_review',
        headers: admin.headers,
      })
    ).json();
    const submission = pending.items.find((c: { telegramId: number }) => c.telegramId === id);
    expect(submission).toMatchObject({
      taskId: task.id,
      taskTitle: 'Post a photo',
      rewardMinor: 400,
      status: 'pending_review',
    });

    const rejected = await f.app.inject({
      method: 'POST',
      url: `/api/admin/completions/${submission.id}/reject`,
      headers: admin.headers,
    });
    expect(rejected.statusCode).toBe(200);
    expect((await submit()).json().status).toBe('pending_review');
    const again = (
      await f.app.inject({
        method: 'GET',
        url: '/api/admin/completions?status=pending_review',
        headers: admin.headers,
      })
    )
      .json()
      .items.find((c: { telegramId: number }) => c.telegramId === id);

    const approvals = await Promise.all(
      [1, 2, 3].map(() =>
        f.app.inject({
          method: 'POST',
          url: `/api/admin/completions/${again.id}/approve`,
          headers: admin.headers,
        }),
      ),
    );
    expect(approvals.map((r) => r.statusCode).sort()).toEqual([200, 409, 409]);
    const me = (await f.app.inject({ method: 'GET', url: '/api/app/me', headers: auth })).json();
    expect(me.user).toMatchObject({ balanceMinor: 400, completions: 1 });
    const audit = (await f.platform.audit.list(2, 0)).items.map((a) => a.action);
    expect(audit).toContain('completions.approve');
    const viewer = await f.signIn('viewer');
    const denied = await f.app.inject({
      method: 'POST',
      url: `/api/admin/completions/${again.id}/reject`,
      headers: viewer.headers,
    });
    expect(denied.statusCode).toBe(403);
  });
});
