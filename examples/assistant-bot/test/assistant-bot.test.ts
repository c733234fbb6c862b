import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageUpdate } from '../../../test-support/telegram.ts';
import { BOT_TEXT } from '../src/assistant-bot.ts';
import { HISTORY_LIMIT } from '../src/assistant-keyspace.ts';
import { BOOKING_TEXT } from '../src/booking-conversation.ts';
import { type AssistantWorld, assistantWorld } from './assistant-world.ts';

describe('assistant bot (grammY, real Redis and PostgreSQL)', () => {
  let world: AssistantWorld;

  beforeAll(async () => {
    world = await assistantWorld();
  });
  afterAll(async () => {
    await world?.cleanup();
  });

  it('remembers the conversation in user_memory, capped, and flushes it to PostgreSQL', async () => {
    expect(await world.send(1, 'hello')).toEqual([
      'You said: "hello". This is the start of our conversation.',
    ]);
    expect(await world.send(1, 'how are you')).toEqual([
      'You said: "how are you". I remember 1 earlier message; the first was "hello".',
    ]);
    for (let i = 0; i < HISTORY_LIMIT; i++) await world.send(1, `message ${i}`);
    const ref = world.families.memory.key({ userId: 1 });
    const history = (await world.store.get(ref))!;
    expect(history).toHaveLength(HISTORY_LIMIT);
    expect(history.at(-1)).toMatchObject({ role: 'assistant' });
    expect(history.at(-2)).toMatchObject({ role: 'user', text: `message ${HISTORY_LIMIT - 1}` });
    expect(history[0]!.at).toBeInstanceOf(Date);
    // Buffered: in Redis now, in PostgreSQL after the background sync (run now, not in 5 min).
    expect(await world.inPostgres(ref)).toBeUndefined();
    expect(await world.store.flush()).toBeGreaterThan(0);
    expect(await world.inPostgres(ref)).toEqual(history);
    // PostgreSQL keeps it; the Redis copy lives 1 h from the flush (seed 003's TTL).
    expect(await world.store.ttl(ref)).toBeNull();
    const redisTtl = await world.redisTtlMs(ref);
    expect(redisTtl).toBeGreaterThan(0);
    expect(redisTtl).toBeLessThanOrEqual(3_600_000);
  });

  it('saves every message, in and out, to PostgreSQL before answering', async () => {
    const before = world.calls.length;
    await world.send(2, 'keep me');
    const incoming = world.families.message.key({ chatId: 2, messageId: world.lastMessageId });
    expect(await world.inPostgres(incoming)).toMatchObject({ from: 2, text: 'keep me' });
    // The capturing Bot API answers sendMessage with message_id = its call count.
    const reply = world.calls[before]!;
    expect(reply.method).toBe('sendMessage');
    const outgoing = world.families.message.key({ chatId: 2, messageId: before + 1 });
    expect(await world.inPostgres(outgoing)).toMatchObject({
      from: 'bot',
      text: reply.payload.text,
    });

    // Not only text: a photo is saved too (with its caption, or its kind), and gets no reply.
    const photo = messageUpdate(2);
    const { text: _text, ...withoutText } = photo.message!;
    const photoId = 2_000_000 + photo.update_id;
    Object.assign(photo, {
      message: {
        ...withoutText,
        message_id: photoId,
        photo: [{ file_id: 'f', file_unique_id: 'u', width: 1, height: 1 }],
      },
    });
    const calls = world.calls.length;
    await world.handle(photo);
    expect(world.calls.length).toBe(calls);
    const saved = world.families.message.key({ chatId: 2, messageId: photoId });
    expect(await world.inPostgres(saved)).toMatchObject({ from: 2, text: '[photo]' });
  });

  it('books: refuses a bad phone and a bad time without changing anything, then books', async () => {
    const phone = world.families.phone.key({ userId: 3 });
    const booking = world.families.booking.key({ userId: 3 });
    expect(await world.send(3, '/book')).toEqual([BOOKING_TEXT.askPhone]);
    expect(await world.send(3, 'call me maybe')).toEqual([
      'That does not look like a phone number. Send it in international format, for example +79991234567.',
    ]);
    expect(await world.send(3, '12345')).toHaveLength(1);
    expect(await world.services.drafts.get(3)).toEqual({ step: 'phone' });
    expect(await world.send(3, '+7 (999) 123-45-67')).toEqual([
      BOOKING_TEXT.askTime('+79991234567'),
    ]);
    for (const [text, reason] of [
      ['tomorrow at noon', 'Send the time as YYYY-MM-DD HH:MM'],
      ['2099-02-30 10:00', 'is not a real date'],
      ['2099-01-05 10:15', 'on the hour or at half past'],
      ['2099-01-05 22:00', 'We are open'],
      ['2001-01-05 10:00', 'already passed'],
    ] as const) {
      const [reply] = await world.send(3, text);
      expect(reply).toContain(reason);
    }
    expect(await world.store.getMany([phone, booking])).toEqual([undefined, undefined]);
    expect(await world.services.drafts.get(3)).toEqual({ step: 'time', phone: '+79991234567' });

    expect(await world.send(3, '2099-01-05 10:30')).toEqual([
      'Booked for 2099-01-05 10:30 UTC. We will call +79991234567.',
    ]);
    expect(await world.store.get(booking)).toMatchObject({
      phone: '+79991234567',
      at: new Date('2099-01-05T10:30:00Z'),
    });
    expect(await world.services.drafts.get(3)).toBeUndefined();
    expect(await world.send(3, '/mybooking')).toEqual([
      BOT_TEXT.myBooking(new Date('2099-01-05T10:30:00Z'), '+79991234567'),
    ]);
    // The saved phone skips the phone step next time.
    expect(await world.send(3, '/book')).toEqual([BOOKING_TEXT.askTime('+79991234567')]);
    expect(await world.send(3, '/cancel')).toEqual([BOOKING_TEXT.cancelled]);
    await world.store.flush();
    expect(await world.inPostgres(phone)).toBe('+79991234567');
  });

  it('keeps every one of 50 users subscribing at the same moment in email_subscribers', async () => {
    const users = Array.from({ length: 50 }, (_, i) => 1000 + i);
    await Promise.all(users.map((id) => world.send(id, '/subscribe')));
    const subscribers = await world.services.subscribers.list();
    expect([...subscribers].sort()).toEqual(users);
    expect(await world.send(1000, '/subscribe')).toEqual([BOT_TEXT.alreadySubscribed]);
    expect(await world.send(1001, '/unsubscribe')).toEqual([BOT_TEXT.unsubscribed]);
    expect(await world.inPostgres(world.families.subscribers.key({}))).toHaveLength(49);
    const redisTtl = await world.redisTtlMs(world.families.subscribers.key({}));
    expect(redisTtl).toBeGreaterThan(3_600_000); // the 24 h copy
    expect(redisTtl).toBeLessThanOrEqual(86_400_000);
  });

  it('keeps every turn of one user writing 5 messages at once (update never loses a concurrent append)', async () => {
    const texts = ['a', 'b', 'c', 'd', 'e'];
    await Promise.all(texts.map((text) => world.send(4, text)));
    const history = (await world.store.get(world.families.memory.key({ userId: 4 })))!;
    expect(history).toHaveLength(10);
    expect(
      history
        .filter((t) => t.role === 'user')
        .map((t) => t.text)
        .sort(),
    ).toEqual(texts);
  });

  it('after a restart in which Redis lost everything, the memory, booking and subscribers come back from PostgreSQL', async () => {
    await world.send(5, 'remember me');
    await world.send(5, '/book');
    await world.send(5, '+79990005555');
    await world.send(5, '2099-06-01 17:00');
    await world.send(5, '/subscribe');
    await world.restart();
    expect(await world.send(5, 'still there?')).toEqual([
      'You said: "still there?". I remember 1 earlier message; the first was "remember me".',
    ]);
    expect(await world.send(5, '/mybooking')).toEqual([
      BOT_TEXT.myBooking(new Date('2099-06-01T17:00:00Z'), '+79990005555'),
    ]);
    expect(await world.send(5, '/subscribe')).toEqual([BOT_TEXT.alreadySubscribed]);
  });
});
