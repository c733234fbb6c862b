import type { TieredStore } from '@hybridstate/core';
import {
  type Context as GrammyContext,
  session as grammySession,
  type SessionFlavor,
} from 'grammy';
import type { Context as TelegrafContext } from 'telegraf';
import { session as telegrafSession } from 'telegraf/session';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestStack, testKeyspace, testStack } from '../../../test-support/index.ts';
import {
  commandUpdate,
  grammyBot,
  messageUpdate,
  telegrafBot,
} from '../../../test-support/telegram.ts';
import {
  type StorageFamily,
  storageFamily,
  toGrammyStorage,
  toTelegrafStore,
} from '../src/index.ts';

interface Counter {
  count: number;
}

let stack: TestStack;
let store: TieredStore;
let grammyFamily: StorageFamily;
let telegrafFamily: StorageFamily;

beforeAll(async () => {
  const keyspace = testKeyspace();
  grammyFamily = storageFamily(keyspace, { name: 'grammy' });
  telegrafFamily = storageFamily(keyspace, {
    name: 'telegraf',
    durability: 'ephemeral',
    ttlMs: 3_600_000,
  });
  stack = await testStack({ keyspace });
  store = stack.store;
});
afterAll(async () => stack?.cleanup());

/** The same behaviour, whichever framework's own session() plugin holds the adapter. */
type Handle = (update: ReturnType<typeof messageUpdate>) => Promise<void>;

/** Each framework's default session key: grammY uses the chat, Telegraf `from:chat`. */
type KeyOf = (user: number, chat: number) => string;

function behaviour(
  name: string,
  make: () => { handle: Handle; family: () => StorageFamily; keyOf: KeyOf },
) {
  describe(`${name}'s own session() on the tiered store`, () => {
    it('keeps a session across updates, per chat, in the store', async () => {
      const { handle, family, keyOf } = make();
      for (let i = 0; i < 3; i++) await handle(messageUpdate(501, 501));
      await handle(messageUpdate(502, 502));
      expect(await store.get(family().key({ key: keyOf(501, 501) } as never))).toEqual({
        count: 3,
      });
      expect(await store.get(family().key({ key: keyOf(502, 502) } as never))).toEqual({
        count: 1,
      });
    });

    it('deletes a session the handler clears', async () => {
      const { handle, family, keyOf } = make();
      await handle(messageUpdate(503, 503));
      await handle(commandUpdate(503, 'reset'));
      expect(await store.get(family().key({ key: keyOf(503, 503) } as never))).toBeUndefined();
    });
  });
}

behaviour('grammY', () => {
  const { bot } = grammyBot<GrammyContext & SessionFlavor<Counter>>();
  bot.use(
    grammySession({
      initial: (): Counter => ({ count: 0 }),
      storage: toGrammyStorage<Counter>(store, grammyFamily),
    }),
  );
  bot.command('reset', (ctx) => {
    ctx.session = undefined as never;
  });
  bot.on('message', (ctx) => {
    ctx.session.count++;
  });
  return {
    handle: (update) => bot.handleUpdate(update),
    family: () => grammyFamily,
    keyOf: (_user, chat) => String(chat),
  };
});

behaviour('Telegraf', () => {
  const { bot } = telegrafBot<TelegrafContext & { session?: Counter | null }>();
  bot.use(
    telegrafSession({
      store: toTelegrafStore<Counter>(store, telegrafFamily),
      defaultSession: () => ({ count: 0 }),
    }),
  );
  bot.command('reset', (ctx) => {
    ctx.session = null;
  });
  bot.on('message', (ctx) => {
    ctx.session!.count++;
  });
  return {
    handle: (update) => bot.handleUpdate(update as never),
    family: () => telegrafFamily,
    keyOf: (user, chat) => `${user}:${chat}`,
  };
});

describe('toGrammyStorage listing', () => {
  it('implements has, readAllKeys, readAllValues and readAllEntries', async () => {
    const storage = toGrammyStorage<Counter>(store, grammyFamily);
    await storage.write('list-a', { count: 1 });
    await storage.write('list-b', { count: 2 });
    expect(await storage.has!('list-a')).toBe(true);
    expect(await storage.has!('list-none')).toBe(false);
    const keys: string[] = [];
    for await (const key of storage.readAllKeys!()) keys.push(key);
    expect(keys).toEqual(expect.arrayContaining(['list-a', 'list-b']));
    const entries: [string, Counter][] = [];
    for await (const entry of storage.readAllEntries!()) entries.push(entry);
    expect(entries).toEqual(
      expect.arrayContaining([
        ['list-a', { count: 1 }],
        ['list-b', { count: 2 }],
      ]),
    );
    const values: Counter[] = [];
    for await (const value of storage.readAllValues!()) values.push(value);
    expect(values).toEqual(expect.arrayContaining([{ count: 1 }, { count: 2 }]));
  });
});

describe('the Telegraf test bot', () => {
  it('captures the Bot API calls of every update (Telegraf makes a client per update)', async () => {
    const { bot, calls } = telegrafBot();
    bot.on('message', (ctx) => ctx.reply('pong'));
    await bot.handleUpdate(messageUpdate(7) as never);
    expect(calls).toEqual([
      expect.objectContaining({
        method: 'sendMessage',
        payload: expect.objectContaining({ text: 'pong' }),
      }),
    ]);
  });
});
