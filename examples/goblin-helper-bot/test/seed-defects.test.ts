/**
 * The five defects seed 000's authors listed ("Найденные проблемы"), each shown fixed, plus
 * the bridge's two promises (lazy loads, only changed rows written).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOT_KEY_NAMES, SESSION_NAMES } from '../src/state/session-keys.ts';
import { SESSION_TTLS_MS } from '../src/state/sessions.ts';
import { channelPost, type GoblinHarness, goblinHarness, photo } from './goblin-harness.ts';

const DAY_MS = 24 * 3_600_000;

describe('seed 000 defects, fixed', () => {
  let h: GoblinHarness;
  let now = Date.UTC(2033, 0, 1);
  const ref = (property: string, params: Record<string, number> = {}) =>
    h.sessions.properties.find((p) => p.property === property)!.family.key(params as never);

  beforeAll(async () => {
    h = await goblinHarness({ sceneTtlMs: 300, now: () => now });
  });
  afterAll(async () => h?.cleanup());

  it('1. no TTL: every per-user, per-chat and scene session expires; global ones keep only a 1 h hot copy in Redis', async () => {
    const [user, group] = [h.newUserId(), -100_1111];
    await h.say(user, '/kickstarters 2', group); // writes userSession.catalogPage
    await h.say(user, '/newlot', group); // writes the scene
    await h.say(h.owner, '/studio Forge World'); // writes the global session
    const userTtl = await h.stack.store.ttl(ref('userSession', { userId: user }));
    expect(userTtl).toBeGreaterThan(0);
    expect(userTtl).toBeLessThanOrEqual(SESSION_TTLS_MS.user);
    const sceneTtl = await h.stack.store.ttl(ref('scene', { chatId: group, userId: user }));
    expect(sceneTtl).toBeGreaterThan(0);
    expect(sceneTtl).toBeLessThanOrEqual(300);
    // The truth (PostgreSQL) keeps the global session; Redis only a copy that expires.
    expect(await h.stack.store.ttl(ref('globalSession'))).toBeNull();
    const hot = await h.stack.redis.pttl(ref('globalSession').redisKey);
    expect(hot).toBeGreaterThan(0);
    expect(hot).toBeLessThanOrEqual(3_600_000);
  });

  it('2 and 3. direct Redis access and the unused sessionInstance: the indexer is middleware, concurrent posts are all kept', async () => {
    const channel = -100_2222;
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => h.send(channelPost(channel, `🔸 post ${i}`))),
    );
    const { channels } = (await h.session('channelsSession')) as {
      channels: Record<string, { indexers: number[] }>;
    };
    expect(channels[channel]!.indexers).toHaveLength(20);
    // No session for the tables the bridge serves: users, months, kickstarters, settings;
    // the lots are one key per lot and their index.
    expect(h.stack.keyspace.families().map((f) => f.name)).toEqual([
      ...Object.values(SESSION_NAMES).map((name) => `session_${name}`),
      ...Object.values(LOT_KEY_NAMES),
    ]);
  });

  it('4. no cleanup: abandoned drafts vanish, closed lots are pruned after 30 days', async () => {
    const [user, group] = [h.newUserId(), -100_3333];
    await h.say(user, '/newlot', group);
    expect(await h.session('scene', { chatId: group, userId: user })).toEqual({
      lot: { photos: [] },
    });
    await new Promise((resolve) => setTimeout(resolve, 600)); // the scene's TTL is 300 ms here
    expect(await h.session('scene', { chatId: group, userId: user })).toBeUndefined();

    const createLot = async (name: string) => {
      await h.say(user, '/newlot', group);
      await h.send(photo(user, `p-${name}`, group));
      const [reply] = await h.say(
        user,
        `/lotsave 1 USD https://shop.example/${name} Ann ${name}`,
        group,
      );
      return /#(\d+)/.exec(reply!)![1]!;
    };
    const old = await createLot('old');
    await h.say(user, `/lotclose ${old}`, group);
    now += 31 * DAY_MS;
    const fresh = await createLot('fresh');
    expect((await h.lotIndex())?.ids).toEqual([fresh]);
    expect(await h.lot(old)).toBeUndefined();
  });

  it('5. hard-coded keys: every key in Redis comes from one declared family (a key, its lock, or the write-behind journal)', async () => {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, page] = await h.stack.redis.scan(
        cursor,
        'MATCH',
        `{${h.stack.keyspace.prefix}:*`,
        'COUNT',
        1000,
      );
      cursor = next;
      keys.push(...page);
    } while (cursor !== '0');
    expect(keys.length).toBeGreaterThan(0);
    const names = Object.values(SESSION_NAMES).join('|');
    const pattern = new RegExp(
      `^\\{${h.stack.keyspace.prefix}:\\d+\\}:((#lock:|#want:)?(session:(${names})(:-?\\d+)*|${LOT_KEY_NAMES.lot}:\\d+|${LOT_KEY_NAMES.index})|#wb:(journal|deadline))$`,
    );
    expect(keys.filter((k) => !pattern.test(k))).toEqual([]);
  });

  it("the seed's /nl cleared globalSession.lots, which nothing reads; here it deletes the lots", async () => {
    const { ids } = (await h.lotIndex())!;
    expect(ids.length).toBeGreaterThan(0);
    await h.say(h.owner, '/nl');
    expect(await h.lotIndex()).toBeUndefined();
    for (const id of ids) expect(await h.lot(id)).toBeUndefined();
    expect(await h.session('globalSession')).not.toHaveProperty('lots');
  });

  it('the bridge loads lazily and writes only what changed', async () => {
    const user = h.newUserId();
    await h.say(user, '/start');
    h.sqlLog.statements.length = 0;
    await h.send(channelPost(-100_4444, 'just a post'));
    expect(h.sqlLog.statements).toEqual([]); // no collection touched, no query
    await h.say(user, '/balance');
    expect(h.sqlLog.statements).toHaveLength(1); // one SELECT of one user, no write
    expect(h.sqlLog.statements[0]).toMatch(/^SELECT .* WHERE u\.id = ANY/s);
  });
});
