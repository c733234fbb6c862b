import { toIso, toNumber } from '../platform/platform-db.ts';

/** Someone who started the bot (or opened the Mini App). */
export interface User {
  readonly id: number;
  readonly telegramId: number;
  readonly username: string | null;
  readonly firstName: string;
  readonly balanceMinor: number;
  readonly heldMinor: number;
  readonly completions: number;
  readonly status: 'active' | 'banned';
  readonly createdAt: string;
}

/** A balance change. */
export interface LedgerEntry {
  readonly id: number;
  readonly userId: number;
  /** Signed. */
  readonly amountMinor: number;
  readonly kind: 'task_reward' | 'payout_hold' | 'payout_release' | 'adjustment';
  readonly ref: string | null;
  readonly createdAt: string;
}

/** A `users` row as the API returns it. */
export function toUser(row: Record<string, unknown>): User {
  return {
    id: Number(row.id),
    telegramId: Number(row.telegram_id),
    username: (row.username as string | null) ?? null,
    firstName: String(row.first_name ?? ''),
    balanceMinor: toNumber(row.balance_minor),
    heldMinor: toNumber(row.held_minor),
    completions: Number(row.completions),
    status: row.status as User['status'],
    createdAt: toIso(row.created_at)!,
  };
}

/** A `ledger` row as the API returns it. */
export function toLedgerEntry(row: Record<string, unknown>): LedgerEntry {
  return {
    id: Number(row.id),
    userId: Number(row.user_id),
    amountMinor: toNumber(row.amount_minor),
    kind: row.kind as LedgerEntry['kind'],
    ref: (row.ref as string | null) ?? null,
    createdAt: toIso(row.created_at)!,
  };
}
