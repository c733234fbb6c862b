import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestPostgres, testKeyspace, testPostgres } from '../../../test-support/index.ts';
import { type Family, PostgresTier, type SqlClient } from '../src/index.ts';

/**
 * Compare-and-sets of existing keys issued in one tick go to PostgreSQL as one statement (one
 * commit): real PostgreSQL, with the statements counted on their way to it.
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
