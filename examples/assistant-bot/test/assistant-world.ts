import {
  createRedisClient,
  createTieredStore,
  decodeValue,
  type KeyRef,
  PostgresTier,
  pgSqlClient,
  RedisTier,
  type TieredStore,
} from '@hybridstate/core';
import type { Context } from 'grammy';
import type { Update } from 'grammy/types';
import pg from 'pg';
import {
  dropKeyspace,
  TEST_DATABASE_URL,
  TEST_REDIS_URL,
  uniqueId,
} from '../../../test-support/index.ts';
import { type ApiCall, grammyBot, messageUpdate } from '../../../test-support/telegram.ts';
import { installAssistant } from '../src/assistant-bot.ts';
import { type AssistantFamilies, assistantKeyspace } from '../src/assistant-keyspace.ts';
import { type AssistantServices, assistantServices } from '../src/assistant-services.ts';

/** The assistant on real Redis and PostgreSQL, with a capturing grammY bot. */
export interface AssistantWorld {
  readonly store: TieredStore;
  readonly families: AssistantFamilies;
  readonly services: AssistantServices;
  readonly calls: ApiCall[];
  /** Send a text (or `/command`) from a user and return the bot's replies to it. */
  send(userId: number, text: string): Promise<string[]>;
  /**
   * Stop the bot as on SIGTERM (the store flushes), let Redis lose every key, and start a new
   * store, services and bot on the same PostgreSQL schema and Redis. Captured calls start over.
   */
  restart(): Promise<void>;
  /** Hand a raw update to the bot. */
  handle(update: Update): Promise<void>;
  /** Telegram message id of the last message {@link AssistantWorld.send} sent. */
  readonly lastMessageId: number;
  /** The value PostgreSQL holds for a key, read directly (not through the store). */
  inPostgres<V>(ref: KeyRef<V>): Promise<V | undefined>;
  /** The Redis key's own TTL (PTTL): -1 none, -2 no key. */
  redisTtlMs(ref: KeyRef): Promise<number>;
  /** Resolves once the store reports every tier up. */
  healthy(): Promise<void>;
  cleanup(): Promise<void>;
}

/**
 * Open the assistant's store. `redisUrl` may name a throwaway redis-server; `postgresPort` a
 * proxy in front of the test PostgreSQL (checks in {@link AssistantWorld.inPostgres} bypass it).
 */
export async function assistantWorld(
  options: { redisUrl?: string; postgresPort?: number } = {},
): Promise<AssistantWorld> {
  const { keyspace, families } = assistantKeyspace(uniqueId('as'));
  const schema = uniqueId('as_');
  const url = new URL(TEST_DATABASE_URL);
  if (options.postgresPort !== undefined) url.port = String(options.postgresPort);
  const pool = new pg.Pool({ connectionString: url.href, connectionTimeoutMillis: 1000, max: 4 });
  pool.on('error', () => undefined);
  const direct = new pg.Pool({ connectionString: TEST_DATABASE_URL, max: 2 });
  const redis = await createRedisClient(options.redisUrl ?? TEST_REDIS_URL);
  const open = async () => {
    const store = await createTieredStore({
      keyspace,
      cache: new RedisTier(redis),
      postgres: new PostgresTier(pgSqlClient(pool), { schema }),
      sweepIntervalMs: 0,
      probeDelayMs: 50,
    });
    const services = assistantServices(store, families);
    const { bot, calls } = grammyBot<Context>();
    installAssistant(bot, services);
    return { store, services, bot, calls };
  };
  const checker = new PostgresTier(pgSqlClient(direct), { schema });
  let current = await open();
  let lastMessageId = 0;
  return {
    handle: (update) => current.bot.handleUpdate(update),
    async restart() {
      await current.store.close(); // flushes the write-behind journal
      await dropKeyspace(redis, keyspace); // and Redis loses everything, as a restart without persistence
      current = await open();
    },
    get lastMessageId() {
      return lastMessageId;
    },
    get store() {
      return current.store;
    },
    families,
    get services() {
      return current.services;
    },
    get calls() {
      return current.calls;
    },
    async send(userId, text) {
      const { bot, calls } = current;
      const before = calls.length;
      const update = messageUpdate(userId, userId, text);
      if (text.startsWith('/')) {
        const length = text.split(' ')[0]!.length;
        Object.assign(update.message!, { entities: [{ type: 'bot_command', offset: 0, length }] });
      }
      // Telegram numbers a chat's messages in both directions together; the capturing API
      // numbers replies 1, 2, 3..., so incoming messages get ids of their own range here.
      lastMessageId = 1_000_000 + update.update_id;
      Object.assign(update.message!, { message_id: lastMessageId });
      await bot.handleUpdate(update);
      return calls.slice(before).map((call) => String(call.payload.text));
    },
    async inPostgres(ref) {
      const [entry] = await checker.read([ref]);
      return entry == null ? undefined : (decodeValue(entry.value, ref.key) as never);
    },
    redisTtlMs: (ref) => redis.pttl(ref.redisKey),
    async healthy() {
      for (let i = 0; i < 200; i++) {
        if ((await current.store.health()).status === 'ok') return;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`store still ${JSON.stringify((await current.store.health()).tiers)}`);
    },
    async cleanup() {
      await current.store.close().catch(() => undefined);
      if (redis.status === 'ready') await dropKeyspace(redis, keyspace).catch(() => undefined);
      redis.disconnect();
      await pool.end();
      await direct.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await direct.end();
    },
  };
}
