import { signInitData } from '@hybridstate/telegram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  newTelegramId,
  type PlatformFixture,
  platformFixture,
} from './support/platform-fixture.ts';

describe('Mini App API (initData, real PostgreSQL and Redis)', () => {
  let f: PlatformFixture;
  let quizId: number;
  let linkId: number;
  const actor = {
    adminId: 'test',
    email: 'fixture@test.local',
    role: 'admin' as const,
    ip: '127.0.0.1',
  };

  beforeAll(async () => {
    f = await platformFixture();
    linkId = (
      await f.platform.tasks.create(actor, {
        title: 'Visit the site',
        rewardMinor: 300,
        type: 'link',
        url: 'https://example.com',
      })
    ).id;
    quizId = (
      await f.platform.tasks.create(actor, {
        title: 'Capital of France',
        rewardMinor: 200,
        type: 'quiz',
        question: 'Which city?',
        answer: 'Paris',
      })
    ).id;
  });
  afterAll(() => f?.cleanup());

  const call = (
    initData: string,
    method: 'GET' | 'POST',
    url: string,
    payload?: object,
    headers = {},
  ) =>
    f.app.inject({
      method,
      url,
      headers: { authorization: `tma ${initData}`, ...headers },
      ...(payload === undefined ? {} : { payload }),
    });

  it('refuses missing, forged, foreign-signed and expired initData with 401 INIT_DATA_INVALID', async () => {
    const id = newTelegramId();
    const good = f.initData({ id });
    const forged = good.replace(`%22id%22%3A${id}`, `%22id%22%3A${id + 1}`);
    const foreign = signInitData(
      {
        auth_date: String(Math.floor(Date.now() / 1000)),
        user: JSON.stringify({ id, first_name: 'X' }),
      },
      '1:OTHER',
    );
    const expired = f.initData({ id }, Math.floor(Date.now() / 1000) - 2 * 86_400);
    for (const header of [
      undefined,
      `Bearer ${good}`,
      `tma ${forged}`,
      `tma ${foreign}`,
      `tma ${expired}`,
    ]) {
      const response = await f.app.inject({
        method: 'GET',
        url: '/api/app/me',
        headers: header === undefined ? {} : { authorization: header },
      });
      expect(response.statusCode, header).toBe(401);
      expect(response.json().error.code).toBe('INIT_DATA_INVALID');
    }
    expect(await f.platform.users.byTelegramId(id + 1)).toBeNull();
  });

  it('creates the user on first sight and lists tasks without answers', async () => {
    const id = newTelegramId();
    const me = await call(f.initData({ id, firstName: 'Mia' }), 'GET', '/api/app/me');
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({
      user: { telegramId: id, firstName: 'Mia', balanceMinor: 0, status: 'active' },
      settings: { currency: 'USD', minPayoutMinor: 100 },
    });
    const tasks = (await call(f.initData({ id }), 'GET', '/api/app/tasks')).json();
    expect(tasks.items.map((t: { id: number }) => t.id)).toEqual([linkId, quizId]);
    for (const task of tasks.items) {
      expect(task).not.toHaveProperty('answer');
      expect(task.completed).toBe(false);
    }
  });

  it('completes a quiz: 422 WRONG_ANSWER, then credited once, then 409 ALREADY_COMPLETED', async () => {
    const initData = f.initData({ id: newTelegramId() });
    const wrong = await call(initData, 'POST', `/api/app/tasks/${quizId}/complete`, {
      answer: 'Lyon',
    });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json().error.code).toBe('WRONG_ANSWER');
    const right = await call(initData, 'POST', `/api/app/tasks/${quizId}/complete`, {
      answer: ' paris ',
    });
    expect(right.statusCode).toBe(200);
    expect(right.json()).toMatchObject({
      status: 'completed',
      user: { balanceMinor: 200, completions: 1 },
    });
    const again = await call(initData, 'POST', `/api/app/tasks/${quizId}/complete`, {
      answer: 'Paris',
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('ALREADY_COMPLETED');
    const tasks = (await call(initData, 'GET', '/api/app/tasks')).json();
    expect(tasks.items.find((t: { id: number }) => t.id === quizId).completed).toBe(true);
  });

  it('enforces a task limit (422 TASK_LIMIT_REACHED) and manual review (no credit)', async () => {
    const limited = await f.platform.tasks.create(actor, {
      title: 'Only one',
      rewardMinor: 50,
      type: 'link',
      url: 'https://example.com/1',
      maxCompletions: 1,
    });
    const manual = await f.platform.tasks.create(actor, {
      title: 'Review me',
      rewardMinor: 70,
      type: 'manual',
    });
    const first = await call(
      f.initData({ id: newTelegramId() }),
      'POST',
      `/api/app/tasks/${limited.id}/complete`,
    );
    expect(first.statusCode).toBe(200);
    const second = await call(
      f.initData({ id: newTelegramId() }),
      'POST',
      `/api/app/tasks/${limited.id}/complete`,
    );
    expect(second.statusCode).toBe(422);
    expect(second.json().error.code).toBe('TASK_LIMIT_REACHED');
    const review = await call(
      f.initData({ id: newTelegramId() }),
      'POST',
      `/api/app/tasks/${manual.id}/complete`,
    );
    expect(review.json()).toMatchObject({ status: 'pending_review', user: { balanceMinor: 0 } });
  });

  it('requests payouts: 422 BELOW_MINIMUM and INSUFFICIENT_BALANCE, an Idempotency-Key replay debits once', async () => {
    const id = newTelegramId();
    const initData = f.initData({ id });
    await call(initData, 'POST', `/api/app/tasks/${linkId}/complete`);
    const below = await call(initData, 'POST', '/api/app/payouts', {
      amountMinor: 50,
      method: 'card',
      details: '4242',
    });
    expect(below.statusCode).toBe(422);
    expect(below.json().error.code).toBe('BELOW_MINIMUM');
    const tooMuch = await call(initData, 'POST', '/api/app/payouts', {
      amountMinor: 301,
      method: 'card',
      details: '4242',
    });
    expect(tooMuch.json().error.code).toBe('INSUFFICIENT_BALANCE');
    const bad = await call(initData, 'POST', '/api/app/payouts', {
      amountMinor: '100',
      method: 'card',
    });
    expect(bad.statusCode).toBe(400);
    const body = { amountMinor: 120, method: 'card', details: '4242' };
    const headers = { 'idempotency-key': 'req-1' };
    const [a, b] = await Promise.all([
      call(initData, 'POST', '/api/app/payouts', body, headers),
      call(initData, 'POST', '/api/app/payouts', body, headers),
    ]);
    expect([a.statusCode, b.statusCode]).toEqual([201, 201]);
    expect(a.json().payout.id).toBe(b.json().payout.id);
    const me = (await call(initData, 'GET', '/api/app/me')).json();
    expect(me.user).toMatchObject({ balanceMinor: 180, heldMinor: 120 });
    const payouts = (await call(initData, 'GET', '/api/app/payouts')).json();
    expect(payouts.items).toHaveLength(1);
  });

  it('answers a banned user with 403 BANNED', async () => {
    const id = newTelegramId();
    const { user } = await f.platform.users.register({ id, firstName: 'Spam' });
    await f.platform.users.setStatus(actor, user.id, { status: 'banned' });
    const response = await call(f.initData({ id }), 'GET', '/api/app/tasks');
    expect(response.statusCode).toBe(403);
    expect(response.json().error.code).toBe('BANNED');
  });
});
