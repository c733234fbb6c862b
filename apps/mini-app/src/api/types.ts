/** Entities the Mini App receives, as `apps/server/docs/api.md` defines them. */

/** The signed-in Telegram user. */
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

/** A task as a user sees it (never its answer). */
export interface AppTask {
  readonly id: number;
  readonly title: string;
  readonly description: string;
  readonly rewardMinor: number;
  readonly type: 'link' | 'quiz' | 'manual';
  readonly url: string | null;
  readonly question: string | null;
  readonly maxCompletions: number | null;
  readonly completions: number;
  readonly active: boolean;
  readonly completed: boolean;
}

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

/** `GET /api/app/me`. */
export interface Me {
  readonly user: User;
  readonly settings: { readonly currency: string; readonly minPayoutMinor: number };
}

/** `POST /api/app/tasks/:id/complete`. */
export interface Completion {
  readonly status: 'completed' | 'pending_review';
  readonly user: User;
}
