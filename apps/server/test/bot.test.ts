import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reply } from '../src/playground/playground.ts';
import {
  newTelegramId,
  type PlatformFixture,
  platformFixture,
} from './support/platform-fixture.ts';

describe('the bot through bot.handleUpdate (playground capture, real PostgreSQL and Redis)', () => {
  let f: PlatformFixture;
  const actor = {
    adminId: 'test',
    email: 'fixture@test.local',
    role: 'admin' as const,
    ip: '127.0.0.1',
  };

  beforeAll(async () => {
    f = await platformFixture();
  });
  afterAll(() => f?.cleanup());

  const say = async (id: number, text: string): Promise<Reply[]> =>
    (await f.platform.playground.send({ from: { id, firstName: `user${id}` }, text })).replies;
  const press = async (id: number, callbackData: string): Promise<Reply[]> =>
    (await f.platform.playground.send({ from: { id, firstName: `user${id}` }, callbackData }))
      .replies;

  it('/start registers the user (users.created) and shows the welcome text with the active buttons', async () => {
    await f.platform.buttons.create(actor, { label: 'Tasks', action: 'tasks', position: 0 });
    await f.platform.buttons.create(actor, { label: 'Balance', action: 'balance', position: 1 });
    await f.platform.buttons.create(actor, {
      label: 'Hidden',
      action: 'balance',
      position: 2,
      active: false,
    });
    const created: unknown[] = [];
    const stop = f.platform.sync.on('users.created', (e) => void created.push(e.data.userId));
    const id = newTelegramId();
    const replies = await say(id, '/start');
    stop();
    expect(created).toEqual([id]);
    expect(replies).toEqual([
      {
        method: 'sendMessage',
        text: 'Welcome! Complete tasks, earn rewards, and withdraw them.',
        replyKeyboard: [['Tasks', 'Balance']],
      },
    ]);
    expect(await f.platform.users.byTelegramId(id)).toMatchObject({
      telegramId: id,
      firstName: `user${id}`,
    });
  });

  it('caches the keyboard and drops it on buttons.updated: the next /start shows the change', async () => {
    const id = newTelegramId();
    await say(id, '/start');
    expect(f.platform.catalog.keyboardCached).toBe(true);
    const [tasks] = await f.platform.buttons.list();
    await f.platform.buttons.update(actor, tasks!.id, { label: 'Earn' });
    expect(f.platform.catalog.keyboardCached).toBe(false);
    const replies = await say(id, '/start');
    expect(replies[0]!.replyKeyboard).toEqual([['Earn', 'Balance']]);
    expect(await say(id, 'Earn')).toEqual([
      { method: 'sendMessage', text: 'There are no tasks right now. Come back later!' },
    ]);
  });

  it('runs a scenario: text, ask (answer stored in the session and the profile), goto, end', async () => {
    const scenario = await f.platform.scenarios.create(actor, {
      name: 'Booking',
      command: 'book',
      steps: [
        { type: 'text', text: 'Let us book.' },
        { type: 'ask', text: 'Your email?', field: 'email', store: 'session' },
        { type: 'goto', step: 4 },
        { type: 'text', text: 'never sent' },
        { type: 'ask', text: 'Your phone?', field: 'phone', store: 'profile' },
        { type: 'text', text: 'Booked.' },
      ],
    });
    await f.platform.buttons.create(actor, {
      label: 'Book',
      action: 'scenario',
      payload: String(scenario.id),
      position: 5,
    });
    const id = newTelegramId();
    await say(id, '/start');
    expect((await say(id, 'Book')).map((r) => r.text)).toEqual(['Let us book.', 'Your email?']);
    // A keyboard button in the middle of a question leaves it; the scenario starts over from its button.
    expect((await say(id, 'Balance'))[0]!.text).toBe('Your balance: 0.00 USD.');
    expect((await say(id, 'not an answer'))[0]!.text).toBe(
      'Use the buttons below, or send /start.',
    );
    expect((await say(id, 'Book')).map((r) => r.text)).toEqual(['Let us book.', 'Your email?']);
    expect((await say(id, 'me@example.com')).map((r) => r.text)).toEqual(['Your phone?']);
    expect((await say(id, '+15550001')).map((r) => r.text)).toEqual(['Booked.']);
    const family = f.stack.keyspace
      .families()
      .find((fam) => fam.name === 'session_platform_answers')!;
    expect(await f.stack.store.get(family.key({ userId: id } as never))).toEqual({
      email: 'me@example.com',
    });
    expect(await f.platform.users.profile(id)).toEqual({ phone: '+15550001' });
    // The conversation is over: a new text is not taken as an answer.
    expect((await say(id, 'hello'))[0]!.text).toBe('Use the buttons below, or send /start.');
    expect((await say(id, '/book')).map((r) => r.text)).toEqual(['Let us book.', 'Your email?']);
  });

  it('lists tasks with inline buttons and completes one from the bot, once', async () => {
    const task = await f.platform.tasks.create(actor, {
      title: 'Follow us',
      rewardMinor: 250,
      type: 'link',
      url: 'https://example.com/follow',
    });
    const quiz = await f.platform.tasks.create(actor, {
      title: 'Quiz',
      rewardMinor: 100,
      type: 'quiz',
      question: '2+2?',
      answer: '4',
    });
    const id = newTelegramId();
    await say(id, '/start');
    const list = await say(id, 'Earn');
    expect(list[0]!.inlineKeyboard).toEqual([
      [{ text: '🎯 Follow us (+2.50 USD)', callbackData: `task:${task.id}` }],
      [{ text: '🎯 Quiz (+1.00 USD)', callbackData: `task:${quiz.id}` }],
    ]);
    const shown = await press(id, `task:${task.id}`);
    expect(shown[0]).toEqual({ method: 'answerCallbackQuery' });
    expect(shown[1]!.inlineKeyboard).toEqual([
      [{ text: 'Open link', url: 'https://example.com/follow' }],
      [{ text: 'Done', callbackData: `done:${task.id}` }],
    ]);
    expect((await press(id, `done:${task.id}`))[1]!.text).toBe('Done! Your balance: 2.50 USD.');
    expect((await press(id, `done:${task.id}`))[1]!.text).toBe(
      'You have already completed this task.',
    );
    expect((await press(id, `task:${quiz.id}`))[1]!.text).toContain('2+2?');
    expect((await say(id, '5'))[0]!.text).toBe('That is not the right answer; try again.');
    expect((await say(id, '4'))[0]!.text).toBe('Done! Your balance: 3.50 USD.');
    expect((await say(id, 'Balance'))[0]!.text).toBe('Your balance: 3.50 USD.');
  });

  it('logs every incoming and outgoing message', async () => {
    const id = newTelegramId();
    await say(id, '/start');
    await say(id, 'Balance');
    const log = await f.platform.messages.recent(id);
    expect(log.map((m) => [m.direction, m.text])).toEqual([
      ['in', '/start'],
      ['out', 'Welcome! Complete tasks, earn rewards, and withdraw them.'],
      ['in', 'Balance'],
      ['out', 'Your balance: 0.00 USD.'],
    ]);
  });

  it('tells a banned user so and does nothing else', async () => {
    const id = newTelegramId();
    const { user } = await f.platform.users.register({ id, firstName: 'Spam' });
    await f.platform.users.setStatus(actor, user.id, { status: 'banned' });
    expect(await say(id, '/start')).toEqual([
      { method: 'sendMessage', text: 'Your account is blocked.' },
    ]);
  });
});
