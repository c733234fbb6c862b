import { type Keyspace, silentLogger, type TieredStore } from '@hybridstate/core';
import type { Context } from 'grammy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type RedisServer,
  startRedisServer,
  type TestStack,
  testStack,
} from '../../../test-support/index.ts';
import { grammyBot, messageUpdate } from '../../../test-support/telegram.ts';
import { type SessionFlavor, Sessions } from '../src/index.ts';

const definitions = {
  userSession: { scope: 'user' as const, initial: () => ({ visits: 0 }) },
  scene: {
    scope: 'user-in-chat' as const,
    durability: 'ephemeral' as const,
    ttlMs: 600_000,
    initial: () => ({ step: 0 }),
  },
};

describe('sessions while Redis is down (own redis-server)', () => {
  let server: RedisServer;
  let stack: TestStack;
  let keyspace: Keyspace;
  let store: TieredStore;
  const warnings: string[] = [];

  beforeAll(async () => {
    server = await startRedisServer();
    const logger = {
      ...silentLogger,
      warn: (_: object, message: string) => void warnings.push(message),
    };
    stack = await testStack({ redisUrl: server.url, store: { logger } });
    ({ keyspace, store } = stack);
  });
  afterAll(async () => {
    await stack?.cleanup();
    await server?.stop();
  });

  it('keeps durable sessions in PostgreSQL and ephemeral ones in memory, warns once, never stops', async () => {
    const sessions = new Sessions(store, keyspace, definitions);
    const { bot, calls } = grammyBot<Context & SessionFlavor<typeof definitions>>();
    bot.use(sessions.grammy());
    bot.on('message', async (ctx) => {
      ctx.userSession!.visits++;
      ctx.scene!.step++;
      await ctx.reply(`visit ${ctx.userSession!.visits}, step ${ctx.scene!.step}`);
    });
    await bot.handleUpdate(messageUpdate(42));
    await server.stop();
    for (let i = 0; i < 20; i++) await bot.handleUpdate(messageUpdate(42));
    // The durable visit count continues from PostgreSQL; the ephemeral scene lived in Redis,
    // so it goes on in process memory for the outage (documented: ephemeral = best effort):
    // from this process's kept copy of it when the first update came before a renewal noticed
    // the outage (step 21), else from scratch (step 20).
    expect(calls.at(-1)?.payload.text).toMatch(/^visit 21, step 2[01]$/);
    const ref = sessions.properties[0]!.family.key({ userId: 42 } as never);
    expect(JSON.parse((await stack.pg.tier.read([ref]))[0]!.value)).toEqual({ visits: 21 });
    expect(warnings.filter((w) => w.startsWith('Redis unavailable'))).toHaveLength(1);
    await server.start();
  });
});
