import {
  createRedisClient,
  createTieredStore,
  type Keyspace,
  MemoryTier,
  type TieredStore,
} from '@hybridstate/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type RedisServer,
  startRedisServer,
  type TestStack,
  testKeyspace,
  testStack,
} from '../../../test-support/index.ts';
import { importLegacySessions, type LegacyLayout, Sessions } from '../src/index.ts';

const definitions = {
  globalSession: { scope: 'global' as const, name: 'global' },
  lots: { scope: 'global' as const },
  polls: { scope: 'global' as const },
  channelsSession: { scope: 'global' as const, name: 'channels' },
  userSession: { scope: 'user' as const },
  chatSession: { scope: 'chat' as const },
  scene: { scope: 'user-in-chat' as const, durability: 'ephemeral' as const, ttlMs: 3_600_000 },
};
const layout: LegacyLayout = {
  global: 'globalSession',
  lots: 'lots',
  polls: 'polls',
  channels: 'channelsSession',
  user: 'userSession',
  chat: 'chatSession',
  scene: 'scene',
};

describe('importing the seed 000 Redis layout', () => {
  let legacy: RedisServer;
  let source: Awaited<ReturnType<typeof createRedisClient>>;
  let stack: TestStack;
  let keyspace: Keyspace;
  let store: TieredStore;
  let sessions: Sessions<typeof definitions>;

  beforeAll(async () => {
    legacy = await startRedisServer();
    source = await createRedisClient(legacy.url);
    stack = await testStack();
    ({ keyspace, store } = stack);
    sessions = new Sessions(store, keyspace, definitions);
    // What telegraf-session-redis-upd left behind (seed 000's shapes).
    await source.set(
      'global',
      JSON.stringify({ current: { year: '2024', month: '01' }, studios: ['A'], toRemove: {} }),
    );
    await source.set(
      'lots',
      JSON.stringify({
        list: {
          l1: { price: 10, currency: 'USD', photos: ['f1'], participants: ['111'], opened: true },
        },
      }),
    );
    await source.set('polls', JSON.stringify({ list: {} }));
    await source.set(
      'channels',
      JSON.stringify({
        channels: { '-1001': { indexers: [], studios: [], locked: false, type: 'archive' } },
      }),
    );
    await source.set('111-user', JSON.stringify({ lang: 'ru' }));
    await source.set('-100500-chat', JSON.stringify({ pinned: 7 }));
    await source.set('111:-100500', JSON.stringify({ __scenes: { current: 'lot' } }));
    await source.set('222-user', '{"broken":');
    await source.set('333-user', '{}');
    await source.hset('444-user', 'a', '1');
    await source.set('unrelated', 'x');
  });
  afterAll(async () => {
    await stack?.cleanup();
    source?.disconnect();
    await legacy?.stop();
  });

  const ref = (property: keyof typeof definitions, params: Record<string, number>) =>
    sessions.properties.find((p) => p.property === property)!.family.key(params as never);

  it('reports on a dry run and writes nothing', async () => {
    const report = await importLegacySessions(source, store, sessions.properties, layout);
    expect(report.dryRun).toBe(true);
    expect(report.imported.map((i) => i.from).sort()).toEqual([
      '-100500-chat',
      '111-user',
      '111:-100500',
      'channels',
      'global',
      'lots',
      'polls',
    ]);
    expect(Object.fromEntries(report.skipped.map((s) => [s.from, s.reason]))).toMatchObject({
      '222-user': expect.stringContaining('not valid JSON'),
      '333-user': 'empty session',
      '444-user': expect.stringContaining('not a string'),
    });
    expect(await store.get(ref('globalSession', {}))).toBeUndefined();
  });

  it('imports with --apply, and a second run changes nothing', async () => {
    const first = await importLegacySessions(source, store, sessions.properties, layout, {
      dryRun: false,
    });
    expect(first.imported).toHaveLength(7);
    expect(await store.get(ref('globalSession', {}))).toEqual({
      current: { year: '2024', month: '01' },
      studios: ['A'],
      toRemove: {},
    });
    expect(await store.get(ref('userSession', { userId: 111 }))).toEqual({ lang: 'ru' });
    expect(await store.get(ref('chatSession', { chatId: -100500 }))).toEqual({ pinned: 7 });
    expect(await store.get(ref('scene', { userId: 111, chatId: -100500 }))).toEqual({
      __scenes: { current: 'lot' },
    });
    const second = await importLegacySessions(source, store, sessions.properties, layout, {
      dryRun: false,
    });
    expect(second.imported).toEqual([]);
    expect(second.skipped.filter((s) => s.reason.includes('already exists'))).toHaveLength(7);
  });

  it('refuses a layout that maps keys to a session of another scope', async () => {
    const memory = await createTieredStore({
      keyspace: testKeyspace(),
      cache: new MemoryTier(),
      sweepIntervalMs: 0,
    });
    await expect(
      importLegacySessions(source, memory, sessions.properties, { user: 'chatSession' }),
    ).rejects.toMatchObject({ code: 'HS_SESSION_INVALID' });
    await memory.close();
  });
});
