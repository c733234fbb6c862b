/**
 * The bot under test: the real Telegraf pipeline (sessions, bridge, flows) on the test Redis
 * and PostgreSQL, in a fresh key prefix and fresh schemas; only Telegram's servers are faked
 * (every Bot API call is captured).
 */
import { randomInt } from 'node:crypto';
import type { SqlClient } from '@hybridstate/core';
import type { Update } from 'telegraf/types';
import { type TestStack, testStack, uniqueId } from '../../../test-support/index.ts';
import { BOT_INFO } from '../../../test-support/telegram.ts';
import { createGoblinBot, type GoblinBotOptions } from '../src/bot/create-goblin-bot.ts';
import type { Lot } from '../src/domain/lot.ts';
import { ident, migrateGoblinSchema } from '../src/schema/migrations.ts';
import type { LotIndex } from '../src/state/lot-board.ts';

/** A Bot API call the bot made. */
export interface ApiCall {
  readonly method: string;
  readonly payload: Record<string, unknown>;
}

/** Every SQL statement the bot's bridge sends, to prove laziness and minimal writes. */
export interface SqlLog {
  readonly statements: string[];
}

let nextUpdateId = randomInt(1, 1_000_000_000);

/** A message update; a command's entity covers its first word, as Telegram sends it. */
export function message(userId: number, text: string, chatId = userId, extra: object = {}): Update {
  const id = nextUpdateId++;
  const chat =
    chatId === userId
      ? { id: chatId, type: 'private' as const, first_name: `user${userId}` }
      : { id: chatId, type: 'supergroup' as const, title: `chat${chatId}` };
  const word = text.split(' ')[0]!;
  return {
    update_id: id,
    message: {
      message_id: id,
      date: Math.floor(Date.now() / 1000),
      chat,
      from: { id: userId, is_bot: false, first_name: `user${userId}`, username: `u${userId}` },
      text,
      ...(word.startsWith('/')
        ? { entities: [{ type: 'bot_command', offset: 0, length: word.length }] }
        : {}),
      ...extra,
    },
  } as Update;
}

/** A photo message (no text). */
export function photo(userId: number, fileId: string, chatId = userId): Update {
  const update = message(userId, '', chatId) as unknown as { message: Record<string, unknown> };
  delete update.message.text;
  update.message.photo = [{ file_id: fileId, file_unique_id: fileId, width: 90, height: 90 }];
  return update as unknown as Update;
}

/** A channel post (no sender). */
export function channelPost(channelId: number, text: string): Update {
  const id = nextUpdateId++;
  return {
    update_id: id,
    channel_post: {
      message_id: id,
      date: Math.floor(Date.now() / 1000),
      chat: { id: channelId, type: 'channel', title: 'archive' },
      text,
    },
  } as Update;
}

/** A poll answer (no chat). */
export function pollAnswer(userId: number, pollId: string, options: number[]): Update {
  return {
    update_id: nextUpdateId++,
    poll_answer: {
      poll_id: pollId,
      user: { id: userId, is_bot: false, first_name: `user${userId}` },
      option_ids: options,
    },
  } as Update;
}

/** The bot, its stack, and helpers to talk to it and read its tables. */
export interface GoblinHarness {
  readonly stack: TestStack;
  readonly schema: string;
  readonly bot: ReturnType<typeof createGoblinBot>['bot'];
  readonly sessions: ReturnType<typeof createGoblinBot>['sessions'];
  readonly lots: ReturnType<typeof createGoblinBot>['lots'];
  readonly calls: ApiCall[];
  readonly sqlLog: SqlLog;
  /** The owner (adminPlus on first contact). */
  readonly owner: number;
  /** A user id nobody else in this run uses. */
  newUserId(): number;
  /** Send an update; returns the texts the bot sent while handling it. */
  send(update: Update): Promise<string[]>;
  /** Send a text from a user (in a private chat unless `chatId`). */
  say(userId: number, text: string, chatId?: number): Promise<string[]>;
  /** Rows of a query on the bot's schema (`$s` stands for the quoted schema). */
  rows<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<R[]>;
  /** A session's stored value. */
  session(property: string, params?: Record<string, number>): Promise<unknown>;
  /** A lot's stored value (its own key). */
  lot(id: string | number): Promise<Lot | undefined>;
  /** The stored lot index (ids and next id). */
  lotIndex(): Promise<LotIndex | undefined>;
  cleanup(): Promise<void>;
}

/** Start a harness; `options` override the bot's. */
export async function goblinHarness(
  options: Partial<Pick<GoblinBotOptions, 'sceneTtlMs' | 'now'>> = {},
): Promise<GoblinHarness> {
  const stack = await testStack();
  const schema = uniqueId('goblin_');
  await migrateGoblinSchema(stack.pg.sql, schema);
  const sqlLog: SqlLog = { statements: [] };
  const owner = randomInt(1_000_000, 2_000_000_000);
  let next = owner;
  const { bot, sessions, lots } = createGoblinBot({
    token: '123456:TEST',
    store: stack.store,
    keyspace: stack.keyspace,
    sql: logging(stack.pg.sql, sqlLog),
    schema,
    ownerIds: [owner],
    ...options,
  });
  const calls: ApiCall[] = [];
  bot.botInfo = BOT_INFO as never;
  bot.telegram.callApi = (async (method: string, payload: Record<string, unknown>) => {
    calls.push({ method, payload });
    const result = {
      message_id: calls.length,
      date: 0,
      chat: { id: payload.chat_id, type: 'private' },
    };
    return method === 'sendPoll' ? { ...result, poll: { id: `poll${calls.length}` } } : result;
  }) as never;
  // Telegraf builds a new Telegram client per update; make every update use the capturing one.
  Object.assign(bot.context, { telegram: bot.telegram });
  const send = async (update: Update) => {
    const from = calls.length;
    await bot.handleUpdate(update);
    return calls.slice(from).map((c) => String(c.payload.text ?? c.payload.question ?? ''));
  };
  return {
    stack,
    schema,
    bot,
    sessions,
    lots,
    calls,
    sqlLog,
    owner,
    newUserId: () => ++next,
    send,
    say: (userId, text, chatId) => send(message(userId, text, chatId)),
    rows: async <R>(text: string, params: unknown[] = []) =>
      stack.pg.sql.query<R & object>(text.replaceAll('$s', ident(schema)), params) as Promise<R[]>,
    session: (property, params = {}) => {
      const p = sessions.properties.find((x) => x.property === property)!;
      return stack.store.get(p.family.key(params as never));
    },
    lot: (id) => stack.store.get(lots.lot.key({ lotId: String(id) })),
    lotIndex: () => stack.store.get(lots.index.key({})),
    async cleanup() {
      await stack.pg.pool
        .query(`DROP SCHEMA IF EXISTS ${ident(schema)} CASCADE`)
        .catch(() => undefined);
      await stack.cleanup();
    },
  };
}

function logging(sql: SqlClient, log: SqlLog): SqlClient {
  return {
    ...sql,
    query: (text, params, name) => {
      log.statements.push(text);
      return sql.query(text, params, name);
    },
    transaction: (work) => sql.transaction((tx) => work(logging(tx, log))),
  };
}
