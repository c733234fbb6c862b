import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestPostgres, testKeyspace, testPostgres } from '../../../test-support/index.ts';
import { type Family, PostgresTier, type SqlClient } from '../src/index.ts';

/**
 * Compare-and-sets (and the first writes of new keys) issued in one tick go to PostgreSQL as
 * one statement (one commit), and so do the reads of one tick: real PostgreSQL, with the
 * statements counted on their way to it.
 */
describe('PostgresTier compare-and-set batches, real PostgreSQL', () => {
  let pgt: TestPostgres;
  let tier: PostgresTier;
  let family: Family;
  const statements: string[] = [];
  let n = 0;
  const key = () => family.key({ id: `k${++n}` } as never);
  const put = (ref: ReturnType<typeof key>, value: string) => ({
    ref,
    value,
    expiresAt: null,
    ttlMs: 60_000,
  });

  beforeAll(async () => {
    pgt = await testPostgres();
    // The same database and schema, through a client that notes each statement it runs.
    const counting: SqlClient = {
      dialect: pgt.sql.dialect,
      query: (text, params, name) => {
        statements.push(text);
        return pgt.sql.query(text, params, name);
      },
      transaction: (work) => pgt.sql.transaction(work),
      reserve: () => pgt.sql.reserve(),
    };
    tier = new PostgresTier(counting, { schema: pgt.schema });
    family = testKeyspace().family({ name: 'c', key: 'c:{id}', durability: 'durable' });
  });
  afterAll(async () => {
    await pgt?.cleanup();
  });

  it('sends the compare-and-sets of one tick as one statement', async () => {
    const refs = Array.from({ length: 20 }, () => key());
    const created = await Promise.all(refs.map((ref) => tier.compareAndSet(put(ref, '0'), null)));
    statements.length = 0;
    const outcomes = await Promise.all(
      refs.map((ref, i) => tier.compareAndSet(put(ref, String(i)), created[i]!.version)),
    );
    expect(outcomes.every((o) => o.applied)).toBe(true);
    expect(statements).toHaveLength(1);
    expect((await tier.read(refs)).map((e) => e?.value)).toEqual(refs.map((_, i) => String(i)));
  });

  it('first writes of new keys join the batch: a live key refuses its, an expired one takes it', async () => {
    const existing = Array.from({ length: 5 }, () => key());
    const created = await Promise.all(
      existing.map((ref) => tier.compareAndSet(put(ref, '0'), null)),
    );
    const live = key();
    await tier.compareAndSet(put(live, '"live"'), null);
    const expired = key();
    await tier.compareAndSet({ ...put(expired, '"old"'), expiresAt: Date.now() + 30 }, null);
    await new Promise((resolve) => setTimeout(resolve, 80));
    const fresh = Array.from({ length: 5 }, () => key());
    statements.length = 0;
    const [updated, inserted, refused, retaken] = await Promise.all([
      Promise.all(
        existing.map((ref, i) => tier.compareAndSet(put(ref, `"u${i}"`), created[i]!.version)),
      ),
      Promise.all(fresh.map((ref, i) => tier.compareAndSet(put(ref, `"n${i}"`), null))),
      tier.compareAndSet(put(live, '"second"'), null),
      tier.compareAndSet(put(expired, '"new"'), null),
    ]);
    expect(statements).toHaveLength(1);
    expect([...updated, ...inserted, retaken].every((o) => o.applied && o.version > 0)).toBe(true);
    expect(refused).toEqual({ applied: false, version: 0 });
    const values = (await tier.read([...existing, ...fresh, live, expired])).map((e) => e?.value);
    expect(values).toEqual([
      ...existing.map((_, i) => `"u${i}"`),
      ...fresh.map((_, i) => `"n${i}"`),
      '"live"',
      '"new"',
    ]);
  });

  it('reads of one tick go as one statement, each caller getting its own entries in order', async () => {
    const refs = Array.from({ length: 6 }, () => key());
    await Promise.all(refs.slice(0, 4).map((ref, i) => tier.compareAndSet(put(ref, `${i}`), null)));
    statements.length = 0;
    const [a, b, c, d] = await Promise.all([
      tier.read([refs[0]!, refs[4]!]),
      tier.read([refs[1]!]),
      tier.read([refs[5]!, refs[2]!, refs[1]!]),
      tier.read([]),
    ]);
    expect(statements).toHaveLength(1);
    expect(a.map((e) => e?.value ?? null)).toEqual(['0', null]);
    expect(b.map((e) => e?.value ?? null)).toEqual(['1']);
    expect(c.map((e) => e?.value ?? null)).toEqual([null, '2', '1']);
    expect(d).toEqual([]);
  });

  it('a value PostgreSQL refuses fails only its own write; the others of its batch are written', async () => {
    const refs = Array.from({ length: 10 }, () => key());
    const created = await Promise.all(refs.map((ref) => tier.compareAndSet(put(ref, '0'), null)));
    const results = await Promise.allSettled(
      refs.map((ref, i) =>
        tier.compareAndSet(put(ref, i === 3 ? '{not json' : `"v${i}"`), created[i]!.version),
      ),
    );
    results.forEach((result, i) => {
      if (i === 3)
        expect(result).toMatchObject({ status: 'rejected', reason: { code: 'HS_VALUE_REJECTED' } });
      else expect(result).toMatchObject({ status: 'fulfilled', value: { applied: true } });
    });
    const values = (await tier.read(refs)).map((e) => e?.value);
    expect(values).toEqual(refs.map((_, i) => (i === 3 ? '0' : `"v${i}"`)));
  });
});
