import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../src/services/users.ts';
import {
  type AdminClient,
  newTelegramId,
  type PlatformFixture,
  platformFixture,
} from './support/platform-fixture.ts';

describe('money: balance equals ledger under concurrency; payouts approved and declined', () => {
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

  async function ledgerTotals(user: User) {
    const [row] = await f.stack.pg.sql.query<{
      balance: string;
      held: string;
      sum: string;
      holds: string;
    }>(
      `SELECT u.balance_minor AS balance, u.held_minor AS held,
         (SELECT COALESCE(sum(amount_minor), 0) FROM ${f.platform.db.schema}.ledger WHERE user_id = u.id) AS sum,
         (SELECT COALESCE(sum(amount_minor), 0) FROM ${f.platform.db.schema}.payouts WHERE user_id = u.id AND status = 'pending') AS holds
       FROM ${f.platform.db.schema}.users u WHERE u.id = $1`,
      [user.id],
    );
    return {
      balance: Number(row!.balance),
      held: Number(row!.held),
      ledger: Number(row!.sum),
      pending: Number(row!.holds),
    };
  }

  it('200 concurrent completions and payout requests for one user: credited once per task, balance == ledger', async () => {
    const tasks = await Promise.all(
      [400, 500, 600].map((reward, i) =>
        f.platform.tasks.create(actor, {
          title: `T${i}`,
          rewardMinor: reward,
          type: 'link',
          url: `https://e.com/${i}`,
        }),
      ),
    );
    const id = newTelegramId();
    const initData = f.initData({ id });
    await f.app.inject({
      method: 'GET',
      url: '/api/app/me',
      headers: { authorization: `tma ${initData}` },
    });
    const requests = Array.from({ length: 200 }, (_, i) => {
      if (i % 2 === 0)
        return f.app.inject({
          method: 'POST',
          url: `/api/app/tasks/${tasks[i % 3]!.id}/complete`,
          headers: { authorization: `tma ${initData}` },
        });
      return f.app.inject({
        method: 'POST',
        url: '/api/app/payouts',
        headers: { authorization: `tma ${initData}`, 'idempotency-key': `k${i % 20}` },
        payload: { amountMinor: 100, method: 'card', details: 'x' },
      });
    });
    const responses = await Promise.all(requests);
    const statuses = responses.map((r) => r.statusCode);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    const completions = responses.filter((_, i) => i % 2 === 0);
    expect(completions.filter((r) => r.statusCode === 200)).toHaveLength(3);
    expect(completions.filter((r) => r.statusCode === 409)).toHaveLength(97);
    const user = (await f.platform.users.byTelegramId(id))!;
    const totals = await ledgerTotals(user);
    expect(totals.balance).toBe(totals.ledger);
    expect(totals.balance).toBeGreaterThanOrEqual(0);
    expect(totals.held).toBe(totals.pending);
    expect(totals.balance + totals.held).toBe(1500);
    const payoutIds = new Set(
      responses
        .filter((r, i) => i % 2 === 1 && r.statusCode === 201)
        .map((r) => r.json().payout.id),
    );
    expect(payoutIds.size).toBe(totals.held / 100);
    expect(payoutIds.size).toBeLessThanOrEqual(15);
    const refusals = responses.filter((r, i) => i % 2 === 1 && r.statusCode !== 201);
    for (const r of refusals) expect(r.json().error.code).toBe('INSUFFICIENT_BALANCE');
  });

  it('approve clears the hold, decline returns it; a decided payout answers 409; a viewer gets 403', async () => {
    const task = await f.platform.tasks.create(actor, {
      title: 'Paid',
      rewardMinor: 1000,
      type: 'link',
      url: 'https://e.com/p',
    });
    const id = newTelegramId();
    const { user } = await f.platform.users.register({ id, firstName: 'Payee' });
    await f.platform.completions.complete(user, task.id);
    const first = await f.platform.payouts.request(user, {
      amountMinor: 300,
      method: 'card',
      details: 'a',
    });
    const second = await f.platform.payouts.request(user, {
      amountMinor: 200,
      method: 'card',
      details: 'b',
    });
    expect(second.user).toMatchObject({ balanceMinor: 500, heldMinor: 500 });
    const events: string[] = [];
    const stop = f.platform.sync.on('*', (e) => {
      if ((e.data as { userId?: unknown }).userId === id) events.push(e.type);
    });

    const viewer = await f.signIn('viewer');
    const denied = await f.app.inject({
      method: 'POST',
      url: `/api/admin/payouts/${first.payout.id}/approve`,
      headers: viewer.headers,
    });
    expect(denied.statusCode).toBe(403);
    expect((await f.platform.audit.list(1, 0)).items[0]).toMatchObject({
      action: 'payouts.approve',
      entityId: String(first.payout.id),
      outcome: 'denied',
    });

    const approved = await f.app.inject({
      method: 'POST',
      url: `/api/admin/payouts/${first.payout.id}/approve`,
      headers: admin.headers,
    });
    expect(approved.json()).toMatchObject({ status: 'approved', decidedBy: admin.email });
    const declined = await f.app.inject({
      method: 'POST',
      url: `/api/admin/payouts/${second.payout.id}/decline`,
      headers: admin.headers,
      payload: { reason: 'wrong card' },
    });
    expect(declined.json()).toMatchObject({ status: 'declined' });
    const twice = await f.app.inject({
      method: 'POST',
      url: `/api/admin/payouts/${first.payout.id}/decline`,
      headers: admin.headers,
      payload: {},
    });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.code).toBe('ALREADY_DECIDED');
    stop();
    expect(events).toEqual([
      'payouts.approved',
      'payouts.updated',
      'payouts.declined',
      'users.balance_updated',
      'payouts.updated',
    ]);
    const totals = await ledgerTotals(user);
    expect(totals).toMatchObject({ balance: 700, held: 0, ledger: 700 });
    const detail = (
      await f.app.inject({
        method: 'GET',
        url: `/api/admin/users/${user.id}`,
        headers: admin.headers,
      })
    ).json();
    expect(
      detail.ledger.map((l: { kind: string; amountMinor: number }) => [l.kind, l.amountMinor]),
    ).toEqual([
      ['payout_release', 200],
      ['payout_hold', -200],
      ['payout_hold', -300],
      ['task_reward', 1000],
    ]);
    const pending = (
      await f.app.inject({
        method: 'GET',
        url: '/api/admin/payouts?status=pending',
        headers: admin.headers,
      })
    ).json();
    expect(pending.items.some((p: { id: number }) => p.id === first.payout.id)).toBe(false);
  });
});
