import type { SqlClient } from '@hybridstate/core';
import { z } from 'zod';
import type { EventPublisher } from '../platform/event-publisher.ts';
import { type Page, type PlatformDb, queryPage, toIso, toNumber } from '../platform/platform-db.ts';
import { notFound, PlatformError } from '../platform/platform-errors.ts';
import { validate } from '../platform/validate.ts';
import type { Actor } from './actor.ts';
import type { AuditLog } from './audit-log.ts';
import type { SettingsService } from './settings-service.ts';
import { toUser, type User } from './users.ts';
import type { Wallet } from './wallet.ts';

/** A withdrawal request. */
export interface Payout {
  readonly id: number;
  readonly userId: number;
  readonly amountMinor: number;
  readonly method: string;
  readonly details: string;
  readonly status: 'pending' | 'approved' | 'declined';
  readonly createdAt: string;
  readonly decidedAt: string | null;
  readonly decidedBy: string | null;
}

const requestBody = z.object({
  amountMinor: z.number().int().min(1).max(1_000_000_000),
  method: z.string().trim().min(1).max(64),
  details: z.string().trim().min(1).max(500),
});
const declineBody = z.object({ reason: z.string().trim().max(500).optional() }).default({});
/** What `Idempotency-Key` may hold. */
export const idempotencyKey = z
  .string()
  .regex(/^[A-Za-z0-9_.:-]{1,100}$/, '1-100 of A-Z a-z 0-9 _ . : -');

/** What the payout service needs. */
export interface PayoutServiceDeps {
  readonly db: PlatformDb;
  readonly wallet: Wallet;
  readonly settings: SettingsService;
  readonly audit: AuditLog;
  readonly events: EventPublisher;
}

/**
 * Payouts: a request moves the amount from balance to held (ledger `payout_hold`), a decline
 * moves it back (`payout_release`), an approval clears the hold. Each in one transaction on
 * the user's row lock; a repeated `Idempotency-Key` returns the first request's payout.
 */
export class PayoutService {
  readonly #deps: PayoutServiceDeps;
  readonly #table: string;

  constructor(deps: PayoutServiceDeps) {
    this.#deps = deps;
    this.#table = `${deps.db.schema}.payouts`;
  }

  /** Request a payout: 422 BELOW_MINIMUM / INSUFFICIENT_BALANCE. */
  async request(user: User, body: unknown, key?: string): Promise<{ payout: Payout; user: User }> {
    const input = validate(requestBody, body, 'payout request');
    const { minPayoutMinor, currency } = await this.#deps.settings.get();
    if (input.amountMinor < minPayoutMinor)
      throw new PlatformError(
        'BELOW_MINIMUM',
        `The minimum payout is ${minPayoutMinor} minor units of ${currency}; request at least that.`,
      );
    const result = await this.#deps.db.sql.transaction(async (tx) => {
      const [row] = await tx.query<Record<string, unknown>>(
        `INSERT INTO ${this.#table} (user_id, amount_minor, method, details, idempotency_key) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (user_id, idempotency_key) DO NOTHING RETURNING *`,
        [user.id, input.amountMinor, input.method, input.details, key ?? null],
      );
      if (row === undefined) return { payout: await this.#byKey(tx, user.id, key!), replay: true };
      const after = await this.#deps.wallet.apply(tx, {
        userId: user.id,
        amountMinor: -input.amountMinor,
        heldMinor: input.amountMinor,
        kind: 'payout_hold',
        ref: `payout:${row.id}`,
        idempotencyKey: `payout:${row.id}:hold`,
      });
      return { payout: toPayout(row), user: toUser(after), replay: false };
    });
    const current = result.user ?? (await this.#user(user.id));
    if (!result.replay)
      await this.#announce('payouts.created', result.payout, current, user.telegramId);
    return { payout: result.payout, user: current };
  }

  /** The user's payouts, newest first. */
  async forUser(user: User): Promise<Payout[]> {
    const rows = await this.#deps.db.sql.query<Record<string, unknown>>(
      `SELECT * FROM ${this.#table} WHERE user_id = $1 ORDER BY id DESC LIMIT 200`,
      [user.id],
    );
    return rows.map(toPayout);
  }

  /** A page of payouts, newest first. */
  async list(filter: {
    status?: Payout['status'] | undefined;
    limit: number;
    offset: number;
  }): Promise<Page<Payout>> {
    const { rows, total } = await queryPage<Record<string, unknown>>(
      this.#deps.db.sql,
      `SELECT *, count(*) OVER () AS total FROM ${this.#table} WHERE ($1::text IS NULL OR status = $1)
       ORDER BY id DESC LIMIT $2 OFFSET $3`,
      [filter.status ?? null],
      filter,
    );
    return {
      items: rows.map(toPayout),
      total,
      limit: filter.limit,
      offset: filter.offset,
    };
  }

  /** Approve a pending payout: the held money leaves (no ledger entry). 409 ALREADY_DECIDED. */
  async approve(actor: Actor, id: number): Promise<Payout> {
    const { payout, user } = await this.#decide(actor, id, 'approved', undefined);
    await this.#deps.events.publish('payouts.approved', eventOf(payout, user.telegramId));
    await this.#deps.events.publish('payouts.updated', eventOf(payout, user.telegramId));
    return payout;
  }

  /** Decline a pending payout: the held money returns to the balance. 409 ALREADY_DECIDED. */
  async decline(actor: Actor, id: number, body: unknown): Promise<Payout> {
    const { reason } = validate(declineBody, body ?? {}, 'decline');
    const { payout, user } = await this.#decide(actor, id, 'declined', reason);
    await this.#announce('payouts.declined', payout, user, user.telegramId);
    await this.#deps.events.publish('payouts.updated', eventOf(payout, user.telegramId));
    return payout;
  }

  async #decide(
    actor: Actor,
    id: number,
    status: 'approved' | 'declined',
    reason: string | undefined,
  ) {
    return this.#deps.db.sql.transaction(async (tx) => {
      const [row] = await tx.query<Record<string, unknown>>(
        `UPDATE ${this.#table} SET status = $2, decided_at = now(), decided_by = $3, reason = $4
         WHERE id = $1 AND status = 'pending' RETURNING *`,
        [id, status, actor.email, reason ?? null],
      );
      if (row === undefined) throw await this.#undecidable(tx, id);
      const payout = toPayout(row);
      const release = status === 'declined' ? payout.amountMinor : 0;
      const after = await this.#deps.wallet.apply(tx, {
        userId: payout.userId,
        amountMinor: release,
        heldMinor: -payout.amountMinor,
        kind: 'payout_release',
        ref: `payout:${id}`,
        idempotencyKey: `payout:${id}:${status}`,
      });
      await this.#deps.audit.record(tx, actor, {
        action: `payouts.${status === 'approved' ? 'approve' : 'decline'}`,
        entity: 'payouts',
        entityId: id,
        old: { status: 'pending' },
        new: { status, ...(reason === undefined ? {} : { reason }) },
      });
      return { payout, user: toUser(after) };
    });
  }

  async #undecidable(tx: SqlClient, id: number): Promise<PlatformError> {
    const [row] = await tx.query<{ status: string }>(
      `SELECT status FROM ${this.#table} WHERE id = $1`,
      [id],
    );
    if (row === undefined) return notFound('payout', id);
    return new PlatformError('ALREADY_DECIDED', `Payout ${id} is already ${row.status}.`);
  }

  async #byKey(tx: SqlClient, userId: number, key: string): Promise<Payout> {
    const [row] = await tx.query<Record<string, unknown>>(
      `SELECT * FROM ${this.#table} WHERE user_id = $1 AND idempotency_key = $2`,
      [userId, key],
    );
    return toPayout(row!);
  }

  async #user(id: number): Promise<User> {
    const [row] = await this.#deps.db.sql.query<Record<string, unknown>>(
      `SELECT * FROM ${this.#deps.db.schema}.users WHERE id = $1`,
      [id],
    );
    return toUser(row!);
  }

  async #announce(
    type: 'payouts.created' | 'payouts.declined',
    payout: Payout,
    user: User,
    telegramId: number,
  ) {
    await this.#deps.events.publish(type, eventOf(payout, telegramId));
    await this.#deps.events.publish('users.balance_updated', {
      userId: telegramId,
      balance: user.balanceMinor,
    });
  }
}

function eventOf(payout: Payout, telegramId: number) {
  return { id: payout.id, userId: telegramId, amount: payout.amountMinor, status: payout.status };
}

function toPayout(row: Record<string, unknown>): Payout {
  return {
    id: Number(row.id),
    userId: Number(row.user_id),
    amountMinor: toNumber(row.amount_minor),
    method: String(row.method),
    details: String(row.details),
    status: row.status as Payout['status'],
    createdAt: toIso(row.created_at)!,
    decidedAt: toIso(row.decided_at),
    decidedBy: (row.decided_by as string | null) ?? null,
  };
}
