import { createRedisClient } from '@hybridstate/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RedisServer, startRedisServer } from '../../../test-support/index.ts';
import { importGoblinLegacySessions } from '../src/import/import-legacy-sessions.ts';
import { type GoblinHarness, goblinHarness } from './goblin-harness.ts';

/** The seed bot's Redis (telegraf-session-redis-upd keys) on a throwaway redis-server. */
describe("importing the seed bot's Redis sessions", () => {
  let legacy: RedisServer;
  let source: Awaited<ReturnType<typeof createRedisClient>>;
  let h: GoblinHarness;
  const lot = {
    photo: 'p1',
    photos: ['p1', 'p2'],
    price: 40,
    currency: 'EUR',
    link: 'https://shop.example/old',
    author: 'Ivan',
    name: 'Old Lot',
    whoCreated: { id: 5, username: 'ivan', first_name: 'Ivan', last_name: '' },
    participants: ['7', '8'],
    chatID: '-100',
    opened: true,
  };

  beforeAll(async () => {
    legacy = await startRedisServer();
    source = await createRedisClient(legacy.url);
    h = await goblinHarness();
    await source.set(
      'global',
      JSON.stringify({ current: { year: '2024', month: '05' }, studios: ['A'], toRemove: {} }),
    );
    await source.set('lots', JSON.stringify({ list: { 3: lot }, nextId: 4 }));
    await source.set(
      'channels',
      JSON.stringify({
        channels: { '-100900': { indexers: [1], studios: [], locked: false, type: 'archive' } },
      }),
    );
    await source.set('42-user', JSON.stringify({ catalogPage: 2 }));
    await source.set('-100-chat', 'not json{');
  });
  afterAll(async () => {
    source?.disconnect();
    await legacy?.stop();
    await h?.cleanup();
  });

  it('imports every session once, skips corrupt ones with the reason, and the bot uses them', async () => {
    const report = await importGoblinLegacySessions(source, h.stack.store, h.sessions, {
      dryRun: false,
    });
    expect(report.imported.map((i) => i.from).sort()).toEqual([
      '42-user',
      'channels',
      'global',
      'lots',
    ]);
    expect(report.skipped).toEqual([
      { from: '-100-chat', reason: 'not valid JSON: left in place, not imported as {}' },
    ]);
    expect(await h.session('userSession', { userId: 42 })).toEqual({ catalogPage: 2 });
    expect(await h.say(h.owner, '/lots')).toEqual(['#3 Old Lot: 40 EUR, 2 in (/lotjoin 3)']);

    const again = await importGoblinLegacySessions(source, h.stack.store, h.sessions, {
      dryRun: false,
    });
    expect(again.imported).toEqual([]);
  });
});
