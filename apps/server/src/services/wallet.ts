import type { SqlClient } from '@hybridstate/core';
import type { PlatformDb } from '../platform/platform-db.ts';
import { PlatformError } from '../platform/platform-errors.ts';
import type { LedgerEntry } from './users.ts';

/** A balance change to make inside a transaction. */
export interface BalanceChange {
  readonly userId: number;
  /** Signed: added to `balance_minor`. */
  readonly amountMinor: number;
  /** Moved into (positive) or out of (negative) `held_minor` at the same time. */
  readonly heldMinor?: number;
  readonly kind: LedgerEntry['kind'];
  readonly ref: string | null;
  readonly idempotencyKey?: string | null;
}

/**
 * Balances and their ledger, changed only together: every change is one guarded UPDATE of the
 * user's row (which takes its row lock and fails on the balance CHECK, never below zero) and
 * one ledger row, on the caller's transaction. So `balance_minor == sum(ledger.amount_minor)`
 * holds under any concurrency. A change without a ledger entry moves only `held_minor`.
 */
export class Wallet {
  readonly #db: PlatformDb;

  constructor(db: PlatformDb) {
    this.#db = db;
  }

  /** Apply `change` on `tx`; `INSUFFICIENT_BALANCE` when the balance would go negative. */
  async apply(tx: SqlClient, change: BalanceChange): Promise<Record<string, unknown>> {
    const [row] = await tx.query<Record<string, unknown>>(
      `UPDATE ${this.#db.schema}.users SET balance_minor = balance_minor + $2, held_minor = held_minor + $3
       WHERE id = $1 AND balance_minor + $2 >= 0 AND held_minor + $3 >= 0 RETURNING *`,
      [change.userId, change.amountMinor, change.heldMinor ?? 0],
    );
    if (row === undefined)
      throw new PlatformError(
        'INSUFFICIENT_BALANCE',
        'The balance is too low for this amount: request less, or complete more tasks first.',
      );
    if (change.amountMinor !== 0)
      await tx.query(
        `INSERT INTO ${this.#db.schema}.ledger (user_id, amount_minor, kind, ref, idempotency_key) VALUES ($1, $2, $3, $4, $5)`,
        [change.userId, change.amountMinor, change.kind, change.ref, change.idempotencyKey ?? null],
      );
    return row;
  }
}
