import type { BridgeCollection } from '@hybridstate/telegram';
import type { Setting } from '../domain/kickstarter.ts';
import { ident } from '../schema/migrations.ts';

/** `ctx.settings`: the seed's string settings by key. */
export function settingsCollection(schema: string): BridgeCollection<Setting> {
  const s = ident(schema);
  return {
    load: (sql, keys) =>
      sql.query<Setting>(`SELECT key, value FROM ${s}."settings" WHERE key = ANY($1::text[])`, [
        keys,
      ]),
    keyOf: (setting) => setting.key,
    save: async (tx, { upserts, deletes }) => {
      for (const { after } of upserts)
        await tx.query(
          `INSERT INTO ${s}."settings" (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
          [after.key, after.value],
        );
      if (deletes.length > 0)
        await tx.query(`DELETE FROM ${s}."settings" WHERE key = ANY($1::text[])`, [deletes]);
    },
  };
}
