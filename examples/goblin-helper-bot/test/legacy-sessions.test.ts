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
    const report = await importGoblinLegacySessions(source, h.stack.store, h, { dryRun: false });
    expect([...new Set(report.imported.map((i) => i.from))].sort()).toEqual([
      '42-user',
      'channels',
      'global',
      'lots',
    ]);
    expect(report.skipped).toEqual([
      { from: '-100-chat', reason: 'not valid JSON: left in place, not imported as {}' },
    ]);
    expect(await h.session('userSession', { userId: 42 })).toEqual({ catalogPage: 2 });
    // The seed's one `lots` key lands as one key per lot and the index.
    expect(report.imported.filter((i) => i.from === 'lots').map((i) => i.to)).toEqual([
      'lot:3',
      'lot_index',
    ]);
    expect(await h.lot(3)).toEqual(lot);
    expect(await h.lotIndex()).toEqual({ ids: ['3'], nextId: 4 });
    expect(await h.say(h.owner, '/lots')).toEqual(['#3 Old Lot: 40 EUR, 2 in (/lotjoin 3)']);
    expect(await h.say(h.owner, '/lotjoin 3')).toEqual(['You joined lot #3 (3 in).']);

    const again = await importGoblinLegacySessions(source, h.stack.store, h, { dryRun: false });
    expect(again.imported).toEqual([]);
    expect(again.skipped).toContainEqual({
      from: 'lots',
      reason: 'lot_index already exists (imported before, or newer data)',
    });
    expect((await h.lot(3))?.participants).toHaveLength(3);
  });

  it('a lot that breaks an invariant stops the lots import, naming its key; nothing is written', async () => {
    const fresh = await goblinHarness();
    try {
      const bad = { ...lot, currency: 'GBP' };
      await source.set('lots', JSON.stringify({ list: { 3: lot, 4: bad }, nextId: 5 }));
      await expect(
        importGoblinLegacySessions(source, fresh.stack.store, fresh, { dryRun: false }),
      ).rejects.toThrow(/"lot:4".*currency/);
      expect(await fresh.lot(3)).toBeUndefined();
      expect(await fresh.lotIndex()).toBeUndefined();
    } finally {
      await fresh.cleanup();
    }
  });
});
