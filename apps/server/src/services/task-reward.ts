import type { SqlClient } from '@hybridstate/core';
import type { PlatformDb } from '../platform/platform-db.ts';
import type { Wallet } from './wallet.ts';

/**
 * Credit a task's reward to a user on `tx`: one more completion on the user, the reward with
 * its ledger entry, keyed `task:<task>:user:<user>` so it can never be paid twice. Returns the
 * user's row after.
 */
export async function creditTaskReward(
  tx: SqlClient,
  deps: { db: PlatformDb; wallet: Wallet },
  reward: { taskId: number; userId: number; amountMinor: number },
): Promise<Record<string, unknown>> {
  await tx.query(`UPDATE ${deps.db.schema}.users SET completions = completions + 1 WHERE id = $1`, [
    reward.userId,
  ]);
  return deps.wallet.apply(tx, {
    userId: reward.userId,
    amountMinor: reward.amountMinor,
    kind: 'task_reward',
    ref: `task:${reward.taskId}`,
    idempotencyKey: `task:${reward.taskId}:user:${reward.userId}`,
  });
}
