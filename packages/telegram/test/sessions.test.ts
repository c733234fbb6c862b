import { type Keyspace, RedisTier, type TieredStore } from '@hybridstate/core';
import type { Context as GrammyContext } from 'grammy';
import type { Context as TelegrafContext } from 'telegraf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestStack, testStack } from '../../../test-support/index.ts';
import {
  commandUpdate,
  grammyBot,
  messageUpdate,
  pollAnswerUpdate,
  telegrafBot,
} from '../../../test-support/telegram.ts';
import { type SessionFlavor, Sessions } from '../src/index.ts';

// Seed 000's scopes: global keys, per user, per chat, and the scene session per user in chat.
function definitions() {
  return {
    globalSession: {
      scope: 'global' as const,
      name: 'global',
      initial: () => ({ current: { year: '2026', month: '11' }, studios: [] as string[] }),
    },
    lots: {
      scope: 'global' as const,
      lazy: true as const,
      initial: () => ({ list: {} as Record<string, { price: number }> }),
    },
    userSession: { scope: 'user' as const, initial: () => ({ visits: 0 }) },
    chatSession: { scope: 'chat' as const, initial: () => ({ messages: 0 }) },
    scene: { scope: 'user-in-chat' as const, durability: 'ephemeral' as const, ttlMs: 3_600_000 },
  };
}
type Flavor = SessionFlavor<ReturnType<typeof definitions>>;

describe('Sessions on real grammY and Telegraf pipelines, Redis + PostgreSQL', () => {
  let stack: TestStack;
  let keyspace: Keyspace;
  let store: TieredStore;
  let sessions: Sessions<ReturnType<typeof definitions>>;
  let user = 1000;
  user += Math.floor(Math.random() * 1_000_000) * 100; // no collision with an earlier run's keys

  beforeAll(async () => {
    stack = await testStack();
    ({ keyspace, store } = stack);
    sessions = new Sessions(store, keyspace, definitions());
  });
  afterAll(async () => stack?.cleanup());

  const ref = (property: string, params: Record<string, number>) =>
    sessions.properties.find((p) => p.property === property)!.family.key(params as never);

  it('grammY: keeps per-user, per-chat, global and scene sessions apart', async () => {
    const { bot } = grammyBot<GrammyContext & Flavor>();
    bot.use(sessions.grammy());
    bot.on('message', (ctx) => {
      ctx.userSession!.visits++;
      ctx.chatSession!.messages++;
      ctx.scene = { step: 'asked-phone' };
      ctx.globalSession!.studios.push(`studio-${ctx.from.id}`);
    });
    const [alice, bob, group] = [++user, ++user, -5000 - user];
    await bot.handleUpdate(messageUpdate(alice, group));
    await bot.handleUpdate(messageUpdate(alice, group));
    await bot.handleUpdate(messageUpdate(bob, group));
    expect(await store.get(ref('userSession', { userId: alice }))).toEqual({ visits: 2 });
    expect(await store.get(ref('userSession', { userId: bob }))).toEqual({ visits: 1 });
    expect(await store.get(ref('chatSession', { chatId: group }))).toEqual({ messages: 3 });
    expect(await store.get(ref('scene', { chatId: group, userId: alice }))).toEqual({
      step: 'asked-phone',
    });
    expect(((await store.get(ref('globalSession', {}))) as { studios: string[] }).studios).toEqual(
      expect.arrayContaining([`studio-${alice}`, `studio-${bob}`]),
    );
  });

  it('grammY: 200 concurrent updates of one user lose nothing', async () => {
    const { bot } = grammyBot<GrammyContext & Flavor>();
    bot.use(sessions.grammy());
    bot.on('message', async (ctx) => {
      const before = ctx.userSession!.visits;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 2)); // a handler awaiting something
      ctx.userSession!.visits = before + 1;
    });
    const id = ++user;
    await Promise.all(Array.from({ length: 200 }, () => bot.handleUpdate(messageUpdate(id))));
    expect(await store.get(ref('userSession', { userId: id }))).toEqual({ visits: 200 });
  });

  it('Telegraf: the same sessions and the same guarantee', async () => {
    const { bot } = telegrafBot<TelegrafContext & Flavor>();
    bot.use(sessions.telegraf());
    bot.on('message', async (ctx) => {
      const before = ctx.userSession!.visits;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 2));
      ctx.userSession!.visits = before + 1;
    });
    const id = ++user;
    await Promise.all(
      Array.from({ length: 200 }, () => bot.handleUpdate(messageUpdate(id) as never)),
    );
    expect(await store.get(ref('userSession', { userId: id }))).toEqual({ visits: 200 });
  });

  it('writes back only what changed, and stores an untouched initial value nowhere', async () => {
    const { bot } = grammyBot<GrammyContext & Flavor>();
    bot.use(sessions.grammy());
    let mode: 'read' | 'write' = 'write';
    bot.on('message', (ctx) => {
      if (mode === 'write') ctx.userSession!.visits = 7;
      else expect(ctx.userSession!.visits).toBe(7);
      void ctx.chatSession; // read only: the initial value must not be stored
    });
    const id = ++user;
    await bot.handleUpdate(messageUpdate(id));
    const cache = new RedisTier(stack.redis);
    const [before] = await cache.read([ref('userSession', { userId: id })]);
    mode = 'read';
    await bot.handleUpdate(messageUpdate(id));
    const [after] = await cache.read([ref('userSession', { userId: id })]);
    expect(after?.version).toBe(before?.version);
    expect(await store.get(ref('chatSession', { chatId: id }))).toBeUndefined();
  });

  it('a kept session read back unchanged after its own write is not written again, whatever its value holds', async () => {
    const { bot } = grammyBot<GrammyContext & Flavor>();
    bot.use(sessions.grammy());
    const value = () => ({
      visits: 1,
      b: { z: [1, 2.5, 1e21, null], a: 'ünï "q" \\ \u2028 😀' },
      when: new Date(0),
      tags: new Set(['x']),
    });
    let step: 'assign' | 'read' | 'nested' = 'assign';
    bot.on('message', (ctx) => {
      const session = ctx.userSession as unknown as ReturnType<typeof value>;
      if (step === 'assign') ctx.userSession = value() as never;
      else if (step === 'read') expect(session).toEqual(value());
      else session.b.z.push(3);
    });
    const id = ++user;
    const cache = new RedisTier(stack.redis);
    const versionOf = async () =>
      (await cache.read([ref('userSession', { userId: id })]))[0]?.version;
    await bot.handleUpdate(messageUpdate(id));
    const written = await versionOf();
    step = 'read';
    await bot.handleUpdate(messageUpdate(id));
    await bot.handleUpdate(messageUpdate(id));
    expect(await versionOf()).toBe(written);
    step = 'nested';
    await bot.handleUpdate(messageUpdate(id));
    expect(await versionOf()).toBeGreaterThan(written!);
    expect(
      ((await store.get(ref('userSession', { userId: id }))) as ReturnType<typeof value>).b.z,
    ).toEqual([1, 2.5, 1e21, null, 3]);
  });

  it('a context that refuses the session properties fails its update and keeps no lock', async () => {
    const only = {
      userSession: { scope: 'user' as const, name: 'guarded_user', initial: () => ({ visits: 0 }) },
    };
    const guarded = new Sessions(store, keyspace, only, { lock: { waitMs: 1000 } });
    const { bot } = grammyBot<GrammyContext & SessionFlavor<typeof only>>();
    let refuse = true;
    bot.use((ctx, next) => {
      // A plugin before ours that took the name for itself.
      if (refuse) Object.defineProperty(ctx, 'userSession', { value: 1, configurable: false });
      return next();
    });
    bot.use(guarded.grammy());
    bot.on('message', (ctx) => {
      ctx.userSession!.visits++;
    });
    const id = ++user;
    await expect(bot.handleUpdate(messageUpdate(id))).rejects.toThrow(/userSession/);
    refuse = false;
    await bot.handleUpdate(messageUpdate(id)); // not stuck behind the failed update's locks
    const family = guarded.properties[0]!.family;
    expect(await store.get(family.key({ userId: id } as never))).toEqual({ visits: 1 });
  });

  it('assigning null deletes a session', async () => {
    const { bot } = grammyBot<GrammyContext & Flavor>();
    bot.use(sessions.grammy());
    bot.command('reset', (ctx) => {
      ctx.userSession = null;
    });
    bot.on('message', (ctx) => {
      ctx.userSession!.visits++;
    });
    const id = ++user;
    await bot.handleUpdate(messageUpdate(id));
    expect(await store.get(ref('userSession', { userId: id }))).toEqual({ visits: 1 });
    await bot.handleUpdate(commandUpdate(id, 'reset'));
    expect(await store.get(ref('userSession', { userId: id }))).toBeUndefined();
  });

  it('a handler that throws writes nothing, and releases its locks', async () => {
    const { bot } = grammyBot<GrammyContext & Flavor>();
    bot.use(sessions.grammy());
    bot.on('message', (ctx) => {
      ctx.userSession!.visits = 99;
      if (ctx.message.text === 'boom') throw new Error('handler failed');
    });
    const id = ++user;
    await expect(bot.handleUpdate(messageUpdate(id, id, 'boom'))).rejects.toThrow('handler failed');
    expect(await store.get(ref('userSession', { userId: id }))).toBeUndefined();
    await bot.handleUpdate(messageUpdate(id, id, 'fine')); // not blocked by a leftover lock
    expect(await store.get(ref('userSession', { userId: id }))).toEqual({ visits: 99 });
  });

  it('an update without a key for a scope gets a clear error on access, never a shared session', async () => {
    const { bot } = grammyBot<GrammyContext & Flavor>();
    bot.use(sessions.grammy());
    const seen: unknown[] = [];
    bot.on('poll_answer', (ctx) => {
      void ctx.globalSession; // a global session has a key on every update
      try {
        void ctx.chatSession;
      } catch (error) {
        seen.push(error);
      }
    });
    const id = ++user;
    await bot.handleUpdate(pollAnswerUpdate(id));
    expect(seen).toEqual([
      expect.objectContaining({
        code: 'HS_SESSION_NO_KEY',
        message: expect.stringContaining('ctx.chatSession'),
      }),
    ]);
  });

  it('a lazy session is loaded (and locked) only when awaited', async () => {
    const { bot } = grammyBot<GrammyContext & Flavor>();
    bot.use(sessions.grammy());
    bot.command('lot', async (ctx) => {
      const lots = (await ctx.lots)!;
      lots.list[`lot-${ctx.from!.id}`] = { price: 10 };
    });
    bot.on('message', () => undefined);
    const id = ++user;
    await Promise.all([
      bot.handleUpdate(commandUpdate(id, 'lot')),
      bot.handleUpdate(commandUpdate(id + 1, 'lot')),
    ]);
    const lots = (await store.get(ref('lots', {}))) as { list: Record<string, unknown> };
    expect(Object.keys(lots.list)).toEqual(expect.arrayContaining([`lot-${id}`, `lot-${id + 1}`]));
  });

  it('a value that cannot be stored fails the update, writes nothing and releases the lock', async () => {
    const { bot } = grammyBot<GrammyContext & Flavor>();
    bot.use(sessions.grammy());
    bot.on('message', (ctx) => {
      ctx.userSession!.visits = ctx.message.text === 'nan' ? Number.NaN : 5;
    });
    const id = ++user;
    const failure = await bot
      .handleUpdate(messageUpdate(id, id, 'nan'))
      .catch((error: { error: unknown }) => error.error);
    expect(failure).toMatchObject({ code: 'HS_VALUE_NOT_SERIALIZABLE' });
    await bot.handleUpdate(messageUpdate(id, id, 'fine')); // the key is not left locked
    expect(await store.get(ref('userSession', { userId: id }))).toEqual({ visits: 5 });
  });

  it('an assignment to a lazy session without a key fails the update instead of vanishing', async () => {
    const { bot } = grammyBot<GrammyContext & Flavor>();
    const keyless = new Sessions(store, keyspace, {
      lazyChat: { scope: 'chat' as const, lazy: true as const, name: 'lazy_chat' },
    });
    bot.use(keyless.grammy() as never);
    bot.on('poll_answer', (ctx) => {
      (ctx as unknown as { lazyChat: unknown }).lazyChat = { pinned: 1 };
    });
    const failure = await bot
      .handleUpdate(pollAnswerUpdate(++user))
      .catch((error: { error: unknown }) => error.error);
    expect(failure).toMatchObject({ code: 'HS_SESSION_NO_KEY' });
  });

  it('refuses a session touched after its update ended (an un-awaited handler)', async () => {
    const { bot } = grammyBot<GrammyContext & Flavor>();
    bot.use(sessions.grammy());
    let late: (() => unknown) | undefined;
    bot.on('message', (ctx) => {
      late = () => ctx.userSession;
    });
    await bot.handleUpdate(messageUpdate(++user));
    expect(() => late!()).toThrowError(expect.objectContaining({ code: 'HS_SESSION_INVALID' }));
  });

  it('breaks two handlers awaiting lazy sessions in opposite orders with HS_LOCK_TIMEOUT', async () => {
    const ordered = new Sessions(
      store,
      keyspace,
      {
        first: { scope: 'global' as const, lazy: true as const, name: 'lazy_first' },
        second: { scope: 'global' as const, lazy: true as const, name: 'lazy_second' },
      },
      { lock: { waitMs: 500 } },
    );
    const { bot } = grammyBot<
      GrammyContext & { first: Promise<unknown>; second: Promise<unknown> }
    >();
    bot.use(ordered.grammy() as never);
    bot.on('message', async (ctx) => {
      const forward = ctx.message.text === 'ab';
      await (forward ? ctx.first : ctx.second); // the getter starts loading only when touched
      await new Promise((resolve) => setTimeout(resolve, 50));
      await (forward ? ctx.second : ctx.first);
    });
    const results = await Promise.allSettled([
      bot.handleUpdate(messageUpdate(++user, user, 'ab')),
      bot.handleUpdate(messageUpdate(++user, user, 'ba')),
    ]);
    const codes = results.map((r) =>
      r.status === 'rejected' ? (r.reason as { error: { code?: string } }).error.code : 'ok',
    );
    expect(codes).toContain('HS_LOCK_TIMEOUT');
  });

  it('corrupt stored data raises HS_CORRUPT_VALUE naming the key, never {}', async () => {
    const { bot } = grammyBot<GrammyContext & Flavor>();
    bot.use(sessions.grammy());
    bot.on('message', (ctx) => {
      void ctx.userSession;
    });
    const id = ++user;
    const key = ref('userSession', { userId: id });
    await stack.redis.hset(key.redisKey, 'd', '{"visits":', 'v', '1', 'e', '');
    const failure = await bot
      .handleUpdate(messageUpdate(id))
      .catch((error: { error: unknown }) => error.error);
    expect(failure).toMatchObject({
      code: 'HS_CORRUPT_VALUE',
      message: expect.stringContaining(key.redisKey),
    });
  });
});
