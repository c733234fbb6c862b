import type { SqlClient } from '@hybridstate/core';
import type { EventPublisher } from '../platform/event-publisher.ts';
import type { PlatformDb } from '../platform/platform-db.ts';
import { notFound, PlatformError } from '../platform/platform-errors.ts';
import { ReadCache } from '../platform/read-cache.ts';
import { creditTaskReward } from './task-reward.ts';
import { type PublicTask, publicTask, type Task, tasksTable } from './tasks.ts';
import { toUser, type User } from './users.ts';
import type { Wallet } from './wallet.ts';

/** Read-cache prefixes of the tasks (dropped on `tasks.*`). */
export const TASKS_KEY = 'tasks:active';
export const COMPLETED_KEY = 'tasks:completed:';

/** What completing a task gave. */
export interface CompletionResult {
  /** `pending_review` for manual tasks: an admin credits them later. */
  readonly status: 'completed' | 'pending_review';
  readonly user: User;
}

/** A task as one user sees it. */
export type UserTask = PublicTask & { readonly completed: boolean };

/**
 * Task completion: one transaction inserts the (task, user) completion, whose unique key makes
 * concurrent double submits wait and then find it done, counts it against the task's limit,
 * and credits the reward with its ledger entry (idempotency key `task:<id>:user:<id>`).
 */
export class CompletionService {
  readonly #db: PlatformDb;
  readonly #wallet: Wallet;
  readonly #events: EventPublisher;
  readonly #cache: ReadCache;

  constructor(deps: { db: PlatformDb; wallet: Wallet; events: EventPublisher; cache?: ReadCache }) {
    this.#db = deps.db;
    this.#wallet = deps.wallet;
    this.#events = deps.events;
    this.#cache = deps.cache ?? new ReadCache({ ttlMs: 1 });
  }

  /**
   * Active tasks with whether this user completed (or submitted) each. Both halves are cached
   * until a `tasks.*` event (every completion publishes `tasks.updated`).
   */
  async tasksFor(user: User): Promise<UserTask[]> {
    const [tasks, done] = await Promise.all([
      this.#cache.get(TASKS_KEY, () => this.#activeTasks()),
      this.#cache.get(`${COMPLETED_KEY}${user.id};`, () => this.#completedBy(user.id)),
    ]);
    const completed = new Set(done);
    return tasks.map((task) => ({ ...task, completed: completed.has(task.id) }));
  }

  async #activeTasks(): Promise<PublicTask[]> {
    const rows = await this.#db.sql.query<Record<string, unknown>>(
      `SELECT * FROM ${this.#db.schema}.tasks WHERE active ORDER BY id`,
    );
    return rows.map((row) => publicTask(tasksTable.fromRow(row)));
  }

  async #completedBy(userId: number): Promise<number[]> {
    const rows = await this.#db.sql.query<{ task_id: number }>(
      `SELECT task_id FROM ${this.#db.schema}.task_completions WHERE user_id = $1`,
      [userId],
    );
    return rows.map((row) => Number(row.task_id));
  }

  /** Complete `taskId` for `user`: 409 ALREADY_COMPLETED, 422 WRONG_ANSWER / TASK_LIMIT_REACHED. */
  async complete(user: User, taskId: number, answer?: string): Promise<CompletionResult> {
    const result = await this.#db.sql.transaction(async (tx) => {
      const task = await this.#task(tx, taskId);
      checkAnswer(task, answer);
      const status = task.type === 'manual' ? 'pending_review' : 'completed';
      await this.#claim(tx, task, user, status);
      const row = status === 'completed' ? await this.#credit(tx, task, user) : undefined;
      return { status, task, user: row === undefined ? user : toUser(row) } as const;
    });
    if (result.status === 'completed')
      await this.#events.publish('users.balance_updated', {
        userId: user.telegramId,
        balance: result.user.balanceMinor,
        delta: result.task.rewardMinor,
      });
    await this.#events.publish('tasks.updated', { id: taskId });
    return { status: result.status, user: result.user };
  }

  async #task(tx: SqlClient, taskId: number): Promise<Task> {
    const [row] = await tx.query<Record<string, unknown>>(
      `SELECT * FROM ${this.#db.schema}.tasks WHERE id = $1`,
      [taskId],
    );
    if (row === undefined) throw notFound('task', taskId);
    const task = tasksTable.fromRow(row);
    if (!task.active) throw new PlatformError('TASK_INACTIVE', 'This task is no longer active.');
    return task;
  }

  async #claim(tx: SqlClient, task: Task, user: User, status: string): Promise<void> {
    const inserted = await tx.query(
      `INSERT INTO ${this.#db.schema}.task_completions (task_id, user_id, status) VALUES ($1, $2, $3)
       ON CONFLICT (task_id, user_id) DO NOTHING RETURNING id`,
      [task.id, user.id, status],
    );
    if (inserted.length === 0)
      throw new PlatformError('ALREADY_COMPLETED', 'You have already completed this task.');
    const counted = await tx.query(
      `UPDATE ${this.#db.schema}.tasks SET completions = completions + 1
       WHERE id = $1 AND (max_completions IS NULL OR completions < max_completions) RETURNING id`,
      [task.id],
    );
    if (counted.length === 0)
      throw new PlatformError('TASK_LIMIT_REACHED', 'This task has reached its completion limit.');
  }

  #credit(tx: SqlClient, task: Task, user: User): Promise<Record<string, unknown>> {
    return creditTaskReward(
      tx,
      { db: this.#db, wallet: this.#wallet },
      { taskId: task.id, userId: user.id, amountMinor: task.rewardMinor },
    );
  }
}

function checkAnswer(task: Task, answer: string | undefined): void {
  if (task.type !== 'quiz') return;
  const given = (answer ?? '').trim().toLowerCase();
  if (given === '' || given !== (task.answer ?? '').trim().toLowerCase())
    throw new PlatformError('WRONG_ANSWER', 'That is not the right answer; try again.');
}
