import type { SqlClient } from '@hybridstate/core';
import type { BridgeCollection } from '@hybridstate/telegram';
import type { Kickstarter } from '../domain/kickstarter.ts';
import { ident } from '../schema/migrations.ts';

interface KickstarterRow {
  id: number;
  name: string;
  creator: string;
  cost: number;
  pledgeName: string;
  pledgeCost: number;
  link: string;
  photos: string[];
  files: string[];
}

function selectKickstarters(s: string, where: string): string {
  return `SELECT k.id, k.name, k.creator, k.cost, k."pledgeName", k."pledgeCost", k.link,
      array(SELECT p."fileId" FROM ${s}."kickstarterPhotos" p WHERE p."kickstarterId" = k.id ORDER BY p.position) AS photos,
      array(SELECT f."fileId" FROM ${s}."kickstarterFiles" f WHERE f."kickstarterId" = k.id ORDER BY f.position) AS files
    FROM ${s}."kickstarters" k ${where}`;
}

function toKickstarter(row: KickstarterRow): Kickstarter {
  return { ...row, id: String(row.id) };
}

/** `ctx.kickstarters`: catalog entries by id, with their photos and files. */
export function kickstartersCollection(schema: string): BridgeCollection<Kickstarter> {
  const s = ident(schema);
  return {
    load: async (sql, keys) =>
      (
        await sql.query<KickstarterRow>(selectKickstarters(s, 'WHERE k.id = ANY($1::integer[])'), [
          keys.filter((k) => /^\d{1,9}$/.test(k)),
        ])
      ).map(toKickstarter),
    keyOf: (k) => k.id,
    save: async (tx, { upserts, deletes }) => {
      for (const { after } of upserts) await saveKickstarter(tx, s, after);
      if (deletes.length > 0)
        await tx.query(`DELETE FROM ${s}."kickstarters" WHERE id = ANY($1::integer[])`, [deletes]);
    },
  };
}

/** Write one kickstarter with its photos and files (replacing them). */
export async function saveKickstarter(tx: SqlClient, s: string, k: Kickstarter): Promise<void> {
  await tx.query(
    `INSERT INTO ${s}."kickstarters" (id, name, creator, cost, "pledgeName", "pledgeCost", link) VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, creator = EXCLUDED.creator, cost = EXCLUDED.cost,
       "pledgeName" = EXCLUDED."pledgeName", "pledgeCost" = EXCLUDED."pledgeCost", link = EXCLUDED.link`,
    [k.id, k.name, k.creator, k.cost, k.pledgeName, k.pledgeCost, k.link],
  );
  for (const [table, ids] of [
    ['kickstarterPhotos', k.photos],
    ['kickstarterFiles', k.files],
  ] as const) {
    await tx.query(`DELETE FROM ${s}.${ident(table)} WHERE "kickstarterId" = $1`, [k.id]);
    if (ids.length > 0)
      await tx.query(
        `INSERT INTO ${s}.${ident(table)} ("kickstarterId", position, "fileId") SELECT $1, o - 1, f FROM unnest($2::text[]) WITH ORDINALITY AS t(f, o)`,
        [k.id, ids],
      );
  }
}

/** A page of the catalog, by id (read-only: the catalog is never loaded whole). */
export async function kickstarterPage(
  sql: SqlClient,
  schema: string,
  offset: number,
  limit: number,
): Promise<Kickstarter[]> {
  const rows = await sql.query<KickstarterRow>(
    `${selectKickstarters(ident(schema), 'ORDER BY k.id OFFSET $1 LIMIT $2')}`,
    [offset, limit],
  );
  return rows.map(toKickstarter);
}
