import { silentLogger } from '@hybridstate/core';
import { afterEach, describe, expect, it } from 'vitest';
import { demoSeedEnabled, seedDemo } from '../src/demo/seed-demo.ts';
import {
  newTelegramId,
  type PlatformFixture,
  platformFixture,
} from './support/platform-fixture.ts';

const actor = {
  adminId: 'test',
  email: 'fixture@test.local',
  role: 'admin' as const,
  ip: '127.0.0.1',
};

describe('the demo content of a fresh install', () => {
  let f: PlatformFixture | undefined;
  afterEach(async () => {
    await f?.cleanup();
    f = undefined;
  });

  it('a fresh platform gets 3 buttons, 1 scenario and 3 tasks, audited as system; /start shows them', async () => {
    f = await platformFixture();
    expect(await seedDemo(f.platform, silentLogger)).toBe('seeded');
    const [buttons, scenarios, tasks] = await contents(f);
    expect(buttons.map((b) => b.action)).toEqual(['scenario', 'tasks', 'mini_app']);
    expect(buttons[0]!.payload).toBe(String(scenarios[0]!.id));
    expect(scenarios.map((s) => s.steps.map((step) => step.type))).toEqual([
      ['text', 'ask', 'text'],
    ]);
    expect(tasks.map((t) => t.type)).toEqual(['link', 'quiz', 'manual']);
    const audit = await f.platform.audit.list(50, 0);
    expect(audit.total).toBe(7);
    expect(new Set(audit.items.map((e) => e.adminEmail))).toEqual(new Set(['system']));

    const from = { id: newTelegramId(), firstName: 'Ann' };
    const start = await f.platform.playground.send({ from, text: '/start' });
    expect(start.replies.at(-1)?.replyKeyboard?.flat()).toEqual(buttons.map((b) => b.label));
    const tour = await f.platform.playground.send({ from, text: buttons[0]!.label });
    expect(tour.replies.map((r) => r.text)).toEqual(
      scenarios[0]!.steps.slice(0, 2).map((s) => (s as { text: string }).text),
    );
  });

  it('a second start adds nothing', async () => {
    f = await platformFixture();
    await seedDemo(f.platform, silentLogger);
    expect(await seedDemo(f.platform, silentLogger)).toBe('not-empty');
    expect((await contents(f)).map((list) => list.length)).toEqual([3, 1, 3]);
  });

  it('two instances starting together add it once', async () => {
    f = await platformFixture();
    const other = await f.secondInstance();
    const outcomes = await Promise.all([
      seedDemo(f.platform, silentLogger),
      seedDemo(other.platform, silentLogger),
    ]);
    expect(outcomes.sort()).toEqual(['not-empty', 'seeded']);
    expect((await contents(f)).map((list) => list.length)).toEqual([3, 1, 3]);
  });

  it('an install with content of its own, or whose admin deleted everything, gets nothing', async () => {
    f = await platformFixture();
    await f.platform.tasks.create(actor, { title: 'Mine', rewardMinor: 5, type: 'manual' });
    expect(await seedDemo(f.platform, silentLogger)).toBe('not-empty');
    expect((await contents(f)).map((list) => list.length)).toEqual([0, 0, 1]);

    const [task] = await f.platform.tasks.list();
    await f.platform.tasks.delete(actor, task!.id);
    expect(await seedDemo(f.platform, silentLogger)).toBe('not-empty');
    expect((await contents(f)).map((list) => list.length)).toEqual([0, 0, 0]);
  });

  it('SEED_DEMO=0 turns it off; unset or anything else leaves it on', () => {
    expect(demoSeedEnabled({ SEED_DEMO: '0' })).toBe(false);
    expect(demoSeedEnabled({ SEED_DEMO: ' 0 ' })).toBe(false);
    expect(demoSeedEnabled({})).toBe(true);
    expect(demoSeedEnabled({ SEED_DEMO: '1' })).toBe(true);
  });
});

function contents(f: PlatformFixture) {
  return Promise.all([
    f.platform.buttons.list(),
    f.platform.scenarios.list(),
    f.platform.tasks.list(),
  ]);
}
