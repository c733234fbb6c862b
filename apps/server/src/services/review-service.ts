import type { SqlClient } from '@hybridstate/core';
import { z } from 'zod';
import type { EventPublisher } from '../platform/event-publisher.ts';
import { type Page, type PlatformDb, queryPage, toIso, toNumber } from '../platform/platform-db.ts';
import { notFound, PlatformError } from '../platform/platform-errors.ts';
import { pageQuery } from '../platform/validate.ts';
import type { Actor } from './actor.ts';
import type { AuditLog } from './audit-log.ts';
import { creditTaskReward } from './task-reward.ts';
import { toUser } from './users.ts';
import type { Wallet } from './wallet.ts';

/** A task completion as admins review it. */
export interface Completion {
  readonly id: number;
  readonly taskId: number;
  readonly taskTitle: string;
  readonly rewardMinor: number;
  readonly userId: number;
  readonly telegramId: number;
  readonly status: 'completed' | 'pending_review';
  readonly createdAt: string;
}

/** Query of {@link ReviewService.list}. */
export const completionQuery = pageQuery.extend({
  status: z.enum(['completed', 'pending_review']).optional(),
});

/**
 * Manual review of `manual` tasks: an approval credits the reward (once: the ledger key is the
 * same as for an automatic completion); a rejection removes the submission so the user can
 * submit again. Both audited.
 */
export class ReviewService {
  readonly #deps: { db: PlatformDb; wallet: Wallet; audit: AuditLog; events: EventPublisher };

  constructor(deps: { db: PlatformDb; wallet: Wallet; audit: AuditLog; events: EventPublisher }) {
    this.#deps = deps;
  }

  /** A page of completions, newest first. */
  async list(query: z.output<typeof completionQuery>): Promise<Page<Completion>> {
    const s = this.#deps.db.schema;
    const { rows, total } = await queryPage<Record<string, unknown>>(
      this.#deps.db.sql,
      `SELECT c.*, t.title, t.reward_minor, u.telegram_id, count(*) OVER () AS total
       FROM ${s}.task_completions c JOIN ${s}.tasks t ON t.id = c.task_id JOIN ${s}.users u ON u.id = c.user_id
       WHERE ($1::text IS NULL OR c.status = $1) ORDER BY c.id DESC LIMIT $2 OFFSET $3`,
      [query.status ?? null],
      query,
    );
    return {
      items: rows.map(toCompletion),
      total,
      limit: query.limit,
      offset: query.offset,
    };
  }

  /** Approve a pending submission and pay it: 409 ALREADY_DECIDED unless pending. */
  async approve(actor: Actor, id: number): Promise<Completion> {
    const { completion, balance } = await this.#deps.db.sql.transaction(async (tx) => {
      const pending = await this.#pending(tx, id, 'completed');
      const row = await creditTaskReward(tx, this.#deps, {
        taskId: pending.taskId,
        userId: pending.userId,
        amountMinor: pending.rewardMinor,
      });
      await this.#audit(tx, actor, 'approve', pending);
      return {
        completion: { ...pending, status: 'completed' as const },
        balance: toUser(row).balanceMinor,
      };
    });
    await this.#deps.events.publish('users.balance_updated', {
      userId: completion.telegramId,
      balance,
      delta: completion.rewardMinor,
    });
    await this.#deps.events.publish('tasks.updated', { id: completion.taskId });
    return completion;
  }

  /** Reject a pending submission (the user may submit again): 409 ALREADY_DECIDED unless pending. */
  async reject(actor: Actor, id: number): Promise<Completion> {
    const completion = await this.#deps.db.sql.transaction(async (tx) => {
      const pending = await this.#pending(tx, id, null);
      await tx.query(
        `UPDATE ${this.#deps.db.schema}.tasks SET completions = greatest(completions - 1, 0) WHERE id = $1`,
        [pending.taskId],
      );
      await this.#audit(tx, actor, 'reject', pending);
      return pending;
    });
    await this.#deps.events.publish('tasks.updated', { id: completion.taskId });
    return completion;
  }

  /** Take the pending submission: mark it `next`, or delete it when `next` is null. */
  async #pending(tx: SqlClient, id: number, next: 'completed' | null): Promise<Completion> {
    const s = this.#deps.db.schema;
    const change =
      next === null
        ? `DELETE FROM ${s}.task_completions c WHERE c.id = $1 AND c.status = 'pending_review'`
        : `UPDATE ${s}.task_completions c SET status = 'completed' WHERE c.id = $1 AND c.status = 'pending_review'`;
    const [row] = await tx.query<Record<string, unknown>>(
      `WITH changed AS (${change} RETURNING c.*)
       SELECT changed.*, t.title, t.reward_minor, u.telegram_id FROM changed
       JOIN ${s}.tasks t ON t.id = changed.task_id JOIN ${s}.users u ON u.id = changed.user_id`,
      [id],
    );
    if (row !== undefined) return toCompletion(row);
    const [exists] = await tx.query(`SELECT 1 FROM ${s}.task_completions WHERE id = $1`, [id]);
    if (exists === undefined) throw notFound('completion', id);
    throw new PlatformError('ALREADY_DECIDED', `Completion ${id} is not waiting for review.`);
  }

  #audit(tx: SqlClient, actor: Actor, verb: string, completion: Completion) {
    return this.#deps.audit.record(tx, actor, {
      action: `completions.${verb}`,
      entity: 'completions',
      entityId: completion.id,
      old: { status: 'pending_review' },
      new: verb === 'approve' ? { status: 'completed', rewardMinor: completion.rewardMinor } : null,
    });
  }
}

function toCompletion(row: Record<string, unknown>): Completion {
  return {
    id: Number(row.id),
    taskId: Number(row.task_id),
    taskTitle: String(row.title),
    rewardMinor: toNumber(row.reward_minor),
    userId: Number(row.user_id),
    telegramId: Number(row.telegram_id),
    status: (row.status as Completion['status']) ?? 'pending_review',
    createdAt: toIso(row.created_at)!,
  };
}
