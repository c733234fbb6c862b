import type { BridgeCollection } from '@hybridstate/telegram';
import type { MonthGroup } from '../domain/month.ts';
import { monthKey } from '../domain/month.ts';
import type { GroupType } from '../domain/period.ts';
import { ident } from '../schema/migrations.ts';

interface MonthRow {
  period: string;
  type: GroupType;
  chatId: string;
  link: string;
  counterJoined: number;
  counterPaid: number;
}

/**
 * `ctx.months`: a month's groups by `YYYY_MM:type`. Counters are written as increments, so
 * fifty users joining at once add fifty (the seed's bridge wrote absolute values, and the
 * last writer won).
 */
export function monthsCollection(schema: string): BridgeCollection<MonthGroup> {
  const s = ident(schema);
  return {
    load: async (sql, keys) =>
      (
        await sql.query<MonthRow>(
          `SELECT period::text, type::text, "chatId"::text, link, "counterJoined", "counterPaid" FROM ${s}."months"
           WHERE period::text || ':' || type::text = ANY($1::text[])`,
          [keys],
        )
      ).map((r) => ({
        period: r.period,
        type: r.type,
        id: r.chatId,
        link: r.link,
        counter: { joined: r.counterJoined, paid: r.counterPaid },
      })),
    keyOf: (m) => monthKey(m.period, m.type),
    save: async (tx, { upserts, deletes }) => {
      for (const { before, after } of upserts) {
        const joined = after.counter.joined - (before?.counter.joined ?? 0);
        const paid = after.counter.paid - (before?.counter.paid ?? 0);
        await tx.query(
          `INSERT INTO ${s}."months" (period, type, "chatId", link, "counterJoined", "counterPaid") VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (period, type) DO UPDATE SET "chatId" = EXCLUDED."chatId", link = EXCLUDED.link,
             "counterJoined" = "months"."counterJoined" + $7, "counterPaid" = "months"."counterPaid" + $8`,
          [
            after.period,
            after.type,
            after.id,
            after.link,
            after.counter.joined,
            after.counter.paid,
            before === undefined ? 0 : joined,
            before === undefined ? 0 : paid,
          ],
        );
      }
      if (deletes.length > 0)
        await tx.query(
          `DELETE FROM ${s}."months" WHERE period::text || ':' || type::text = ANY($1::text[])`,
          [deletes],
        );
    },
  };
}
