/**
 * Child process for the multi-process session test: a real grammY bot handling HS_COUNT
 * concurrent updates of one user, each incrementing a durable session counter. An update
 * whose handling failed is delivered again, as Telegram redelivers a webhook update that got
 * an error. Prints how many updates were handled and how many deliveries it took.
 */
import { Keyspace } from '@hybridstate/core';
import type { Context } from 'grammy';
import { grammyBot, messageUpdate } from '../../../../test-support/telegram.ts';
import { openWorkerStore } from '../../../../test-support/worker-store.ts';
import { type SessionFlavor, Sessions } from '../../src/index.ts';

const env = process.env;
const keyspace = new Keyspace({ prefix: env.HS_PREFIX! });
const definitions = { userSession: { scope: 'user' as const, initial: () => ({ visits: 0 }) } };
const { store, close } = await openWorkerStore(keyspace);
const sessions = new Sessions(store, keyspace, definitions, { lock: { waitMs: 60_000 } });
const { bot } = grammyBot<Context & SessionFlavor<typeof definitions>>();
bot.use(sessions.grammy());
bot.on('message', async (ctx) => {
  const visits = ctx.userSession!.visits;
  await new Promise((resolve) => setTimeout(resolve, Math.random() * Number(env.HS_DELAY_MS ?? 2)));
  ctx.userSession!.visits = visits + 1;
});

const userId = Number(env.HS_USER);
let deliveries = 0;
const failures: string[] = [];
await Promise.all(
  Array.from({ length: Number(env.HS_COUNT) }, async () => {
    const update = messageUpdate(userId);
    for (let attempt = 1; ; attempt++) {
      deliveries++;
      try {
        await bot.handleUpdate(update);
        return;
      } catch (error) {
        failures.push(String((error as { error?: { code?: string } }).error?.code ?? error));
        if (attempt >= 50) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
      }
    }
  }),
);
process.stdout.write(
  JSON.stringify({ handled: Number(env.HS_COUNT), deliveries, failures: [...new Set(failures)] }),
);
await close();
