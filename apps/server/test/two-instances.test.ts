import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Platform } from '../src/platform/platform.ts';
import {
  newTelegramId,
  type PlatformFixture,
  platformFixture,
} from './support/platform-fixture.ts';

/** Poll `read` until `accept` holds (events cross Redis pub/sub asynchronously). */
async function eventually<T>(read: () => Promise<T>, accept: (value: T) => boolean): Promise<T> {
  let value = await read();
  for (let i = 0; i < 200 && !accept(value); i++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    value = await read();
  }
  return value;
}

describe('two instances on one Redis and PostgreSQL: caches dropped by events from the other', () => {
  let f: PlatformFixture;
  let b: { platform: Platform; app: PlatformFixture['app'] };
  const actor = {
    adminId: 'test',
    email: 'fixture@test.local',
    role: 'admin' as const,
    ip: '127.0.0.1',
  };

  beforeAll(async () => {
    f = await platformFixture();
    b = await f.secondInstance();
  });
  afterAll(() => f?.cleanup());

  it("a button changed on instance A shows in instance B's next /start", async () => {
    const button = await f.platform.buttons.create(actor, { label: 'Tasks', action: 'tasks' });
    const id = newTelegramId();
    const start = async () =>
      (await b.platform.playground.send({ from: { id, firstName: 'Ann' }, text: '/start' }))
        .replies[0]!.replyKeyboard;
    expect(await eventually(start, (k) => k?.[0]?.[0] === 'Tasks')).toEqual([['Tasks']]);
    expect(b.platform.catalog.keyboardCached).toBe(true);
    await f.platform.buttons.update(actor, button.id, { label: 'Earn money' });
    expect(await eventually(start, (k) => k?.[0]?.[0] === 'Earn money')).toEqual([['Earn money']]);
  });

  it("a ban on instance A refuses the user's next Mini App call on instance B", async () => {
    const id = newTelegramId();
    const me = () =>
      b.app.inject({
        method: 'GET',
        url: '/api/app/me',
        headers: { authorization: `tma ${f.initData({ id })}` },
      });
    expect((await me()).statusCode).toBe(200);
    const user = (await f.platform.users.byTelegramId(id))!;
    await f.platform.users.setStatus(actor, user.id, { status: 'banned' });
    const refused = await eventually(me, (r) => r.statusCode === 403);
    expect(refused.json().error.code).toBe('BANNED');
  });

  it("a task completed through instance A updates instance B's balance and task list", async () => {
    const task = await f.platform.tasks.create(actor, {
      title: 'Cross',
      rewardMinor: 90,
      type: 'link',
      url: 'https://example.com/x',
    });
    const id = newTelegramId();
    const auth = { authorization: `tma ${f.initData({ id })}` };
    const tasks = async () =>
      (await b.app.inject({ method: 'GET', url: '/api/app/tasks', headers: auth })).json() as {
        items: { id: number; completed: boolean }[];
      };
    await eventually(tasks, (t) => t.items.some((x) => x.id === task.id));
    await f.app.inject({
      method: 'POST',
      url: `/api/app/tasks/${task.id}/complete`,
      headers: auth,
    });
    const after = await eventually(
      tasks,
      (t) => t.items.find((x) => x.id === task.id)?.completed === true,
    );
    expect(after.items.find((x) => x.id === task.id)?.completed).toBe(true);
    const me = async () =>
      (await b.app.inject({ method: 'GET', url: '/api/app/me', headers: auth })).json() as {
        user: { balanceMinor: number };
      };
    expect((await eventually(me, (m) => m.user.balanceMinor === 90)).user.balanceMinor).toBe(90);
  });
});
