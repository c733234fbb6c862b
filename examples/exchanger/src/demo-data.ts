import type { SqlClient } from '@hybridstate/core';
import type { ExchangerSchemas } from './exchanger-database.ts';
import { hashPassword } from './passwords.ts';

/** Accounts the demo creates (embedded mode, or `EXCHANGER_DEMO_DATA=1`). */
export const DEMO_ACCOUNTS = [
  { email: 'alice@example.com', password: 'alice-secret', admin: false },
  { email: 'root@example.com', password: 'root-secret', admin: true },
] as const;

/**
 * Fill an empty installation with two accounts (a customer and an admin) and a few rates, as
 * the database owner. Does nothing when any user exists. Returns whether it created them.
 */
export async function seedDemoData(owner: SqlClient, schemas: ExchangerSchemas): Promise<boolean> {
  const [existing] = await owner.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM ${schemas.identity}.users`,
  );
  if ((existing?.n ?? 0) > 0) return false;
  for (const account of DEMO_ACCOUNTS) {
    const [user] = await owner.query<{ id: string }>(
      `INSERT INTO ${schemas.identity}.users (email, password_hash) VALUES ($1, $2) RETURNING id`,
      [account.email, await hashPassword(account.password)],
    );
    if (account.admin)
      await owner.query(
        `INSERT INTO ${schemas.identity}.user_permissions (user_id, permission, application_context) VALUES ($1, 'admin', 'admin')`,
        [user!.id],
      );
  }
  for (const [from, to, rate] of [
    ['USD', 'UAH', '41.50'],
    ['EUR', 'UAH', '45.20'],
    ['USDT', 'UAH', '41.40'],
  ] as const)
    await owner.query(
      `INSERT INTO ${schemas.web}.exchange_rates (from_currency, to_currency, rate) VALUES ($1, $2, $3)`,
      [from, to, rate],
    );
  return true;
}
