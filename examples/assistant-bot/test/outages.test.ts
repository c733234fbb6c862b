import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type RedisServer,
  startRedisServer,
  startTcpProxy,
  type TcpProxy,
  TEST_DATABASE_URL,
} from '../../../test-support/index.ts';
import { BOT_TEXT } from '../src/assistant-bot.ts';
import type { ChatTurn } from '../src/assistant-keyspace.ts';
import { BOOKING_TEXT } from '../src/booking-conversation.ts';
import { type AssistantWorld, assistantWorld } from './assistant-world.ts';

const userTexts = (turns: readonly ChatTurn[] | undefined) =>
  (turns ?? []).filter((t) => t.role === 'user').map((t) => t.text);

describe('assistant bot through outages: Redis stopped, then PostgreSQL cut (seed 003 read order)', () => {
  let redis: RedisServer;
  let proxy: TcpProxy;
  let world: AssistantWorld;

  beforeAll(async () => {
    redis = await startRedisServer();
    proxy = await startTcpProxy(Number(new URL(TEST_DATABASE_URL).port || 5432));
    world = await assistantWorld({ redisUrl: redis.url, postgresPort: proxy.port });
  });
  afterAll(async () => {
    await redis?.start().catch(() => undefined);
    await proxy?.restore().catch(() => undefined);
    await world?.cleanup();
    await proxy?.close();
    await redis?.stop();
  });

  it('answers through every stage and keeps what it acknowledged', async () => {
    const memory = world.families.memory.key({ userId: 7 });
    await world.send(7, 'first');
    await world.store.flush(); // the background sync ran
    await world.send(7, 'second'); // only in Redis and its journal when Redis goes away
    const second = world.families.message.key({ chatId: 7, messageId: world.lastMessageId });

    // 1. Redis down: PostgreSQL serves reads and takes writes.
    await redis.stop();
    expect(await world.send(7, 'third')).toEqual([
      // "second" was not flushed yet, so the capped history read from PostgreSQL lacks it...
      'You said: "third". I remember 1 earlier message; the first was "first".',
    ]);
    expect(userTexts(await world.inPostgres(memory))).toEqual(['first', 'third']);
    // ...but the message log committed it to PostgreSQL before the bot answered.
    expect(await world.inPostgres(second)).toMatchObject({ from: 7, text: 'second' });
    expect(await world.send(7, '/book')).toEqual([BOOKING_TEXT.askPhone]); // the draft lives in RAM now
    expect(await world.send(7, '+79990001122')).toEqual([BOOKING_TEXT.askTime('+79990001122')]);
    expect(await world.send(7, '2099-03-01 09:00')).toEqual([
      'Booked for 2099-03-01 09:00 UTC. We will call +79990001122.',
    ]);
    expect(await world.inPostgres(world.families.booking.key({ userId: 7 }))).toMatchObject({
      phone: '+79990001122',
    });
    expect(await world.send(7, '/subscribe')).toEqual([BOT_TEXT.subscribed]); // durable update through PostgreSQL

    // 2. PostgreSQL down too: the bot still talks, from RAM, and refuses what it cannot keep.
    await proxy.cut();
    expect(await world.send(7, 'fourth')).toEqual([
      'You said: "fourth". I remember 2 earlier messages; the first was "first".',
    ]);
    const fourth = world.families.message.key({ chatId: 7, messageId: world.lastMessageId });
    expect(world.services.memory.pendingUsers).toBe(1);
    expect(world.services.messages.waiting).toBeGreaterThan(0);
    expect(await world.send(8, '/book')).toEqual([BOOKING_TEXT.askPhone]);
    expect(await world.send(8, '+79995556677')).toEqual([BOOKING_TEXT.askTime('+79995556677')]);
    expect(await world.send(8, '2099-03-02 12:00')).toEqual([BOOKING_TEXT.unavailable]);
    expect(await world.send(8, '/subscribe')).toEqual([BOT_TEXT.unavailable]);
    expect(await world.send(8, '/mybooking')).toEqual([BOT_TEXT.unavailable]);

    // 3. PostgreSQL back (Redis still down): what waited in RAM is written with the next message.
    await proxy.restore();
    await untilPostgresAnswers(world);
    expect(await world.send(7, 'fifth')).toEqual([
      'You said: "fifth". I remember 3 earlier messages; the first was "first".',
    ]);
    expect(userTexts(await world.inPostgres(memory))).toEqual([
      'first',
      'third',
      'fourth',
      'fifth',
    ]);
    expect(world.services.memory.pendingUsers).toBe(0);
    expect(world.services.messages.waiting).toBe(0);
    expect(await world.inPostgres(fourth)).toMatchObject({ from: 7, text: 'fourth' });
    expect(await world.inPostgres(world.families.booking.key({ userId: 8 }))).toBeUndefined();
    expect(await world.inPostgres(world.families.subscribers.key({}))).toEqual([7]);

    // 4. Redis back (empty: it had no persistence): everything works through it again.
    await redis.start();
    await world.healthy();
    expect(await world.send(7, 'sixth')).toEqual([
      'You said: "sixth". I remember 4 earlier messages; the first was "first".',
    ]);
    expect(await world.send(7, '/mybooking')).toEqual([
      BOT_TEXT.myBooking(new Date('2099-03-01T09:00:00Z'), '+79990001122'),
    ]);
    await world.store.flush();
    expect(userTexts(await world.inPostgres(memory))).toEqual([
      'first',
      'third',
      'fourth',
      'fifth',
      'sixth',
    ]);
  });

  it('accepts a booking while only PostgreSQL is down; it reaches PostgreSQL when it is back', async () => {
    await world.healthy();
    const booking = world.families.booking.key({ userId: 9 });
    await proxy.cut();
    expect(await world.send(9, 'hi')).toEqual([
      'You said: "hi". This is the start of our conversation.',
    ]);
    expect(await world.send(9, '/book')).toEqual([BOOKING_TEXT.askPhone]);
    expect(await world.send(9, '+79990009999')).toEqual([BOOKING_TEXT.askTime('+79990009999')]);
    expect(await world.send(9, '2099-04-01 11:30')).toEqual([
      'Booked for 2099-04-01 11:30 UTC. We will call +79990009999.',
    ]);
    // Durable writes are never acknowledged from Redis alone: the subscription is refused.
    expect(await world.send(9, '/subscribe')).toEqual([BOT_TEXT.unavailable]);
    expect(await world.send(9, '/mybooking')).toEqual([
      BOT_TEXT.myBooking(new Date('2099-04-01T11:30:00Z'), '+79990009999'),
    ]);
    expect(await world.inPostgres(booking)).toBeUndefined(); // held by Redis and its journal
    await proxy.restore();
    await world.healthy();
    // "hi" could not be read-modify-written (a Redis miss must ask PostgreSQL): it waited in RAM.
    expect(await world.services.memory.flushPending()).toBe(1);
    await world.store.flush();
    expect(await world.inPostgres(booking)).toMatchObject({ phone: '+79990009999' });
    expect(userTexts(await world.inPostgres(world.families.memory.key({ userId: 9 })))).toEqual([
      'hi',
    ]);
    expect(await world.send(9, '/subscribe')).toEqual([BOT_TEXT.subscribed]);
  });
});

async function untilPostgresAnswers(world: AssistantWorld): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if ((await world.store.health()).tiers.postgres.status === 'up') return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('PostgreSQL did not come back');
}
