/** Entities of the platform API, as `apps/server/docs/api.md` defines them. */

/** What a main-keyboard button does when pressed. */
export type ButtonAction = 'scenario' | 'tasks' | 'balance' | 'mini_app' | 'link';

/** A button of the bot's main keyboard. */
export interface Button {
  readonly id: number;
  readonly label: string;
  readonly action: ButtonAction;
  /** Scenario id or URL. */
  readonly payload: string | null;
  readonly position: number;
  readonly active: boolean;
  readonly updatedAt: string;
}

/** One step of a scenario. */
export type Step =
  | { readonly type: 'text'; readonly text: string }
  | {
      readonly type: 'ask';
      readonly text: string;
      readonly field: string;
      readonly store: 'session' | 'profile';
    }
  | { readonly type: 'goto'; readonly step: number };

/** A scripted conversation. */
export interface Scenario {
  readonly id: number;
  readonly name: string;
  readonly command: string | null;
  readonly steps: Step[];
  readonly active: boolean;
  readonly updatedAt: string;
}

/** How a task is completed. */
export type TaskType = 'link' | 'quiz' | 'manual';

/** A task users complete for a reward. */
export interface Task {
  readonly id: number;
  readonly title: string;
  readonly description: string;
  readonly rewardMinor: number;
  readonly type: TaskType;
  readonly url: string | null;
  readonly question: string | null;
  readonly answer?: string | null;
  readonly maxCompletions: number | null;
  readonly completions: number;
  readonly active: boolean;
  readonly updatedAt: string;
}

/** Someone who started the bot. */
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

/** Platform settings. */
export interface Settings {
  readonly welcomeText: string;
  readonly minPayoutMinor: number;
  readonly currency: string;
}

/** One admin change (or denied attempt). */
export interface AuditEntry {
  readonly id: number;
  readonly adminEmail: string;
  readonly action: string;
  readonly entity: string;
  readonly entityId: string | null;
  readonly old: unknown;
  readonly new: unknown;
  readonly outcome: 'ok' | 'denied';
  /** Where the request came from. */
  readonly ip?: string | null;
  readonly createdAt: string;
}

/** One balance change of a user. */
export interface LedgerEntry {
  readonly id: number;
  readonly userId: number;
  readonly amountMinor: number;
  readonly kind: 'task_reward' | 'payout_hold' | 'payout_release' | 'adjustment';
  readonly ref: string | null;
  readonly createdAt: string;
}

/** A signed-in admin. */
export interface Admin {
  readonly id: string | number;
  readonly email: string;
  readonly role: 'admin' | 'viewer';
}

/** A page of a list endpoint. */
export interface Page<T> {
  readonly items: T[];
  readonly total: number;
  readonly limit: number;
  readonly offset: number;
}

/** Status of one storage tier. */
export interface TierStatus {
  readonly status: string;
  readonly mode: string;
  readonly latencyMs?: number | null;
  readonly [extra: string]: unknown;
}

/** `GET /api/admin/system`. */
export interface SystemHealth {
  readonly tiers: Readonly<Record<string, TierStatus>>;
  readonly writeBehind: {
    readonly pending: number;
    readonly lagMs: number;
    readonly deadLetters: number;
  };
  readonly bus: { readonly connected: boolean; readonly mode: string };
  readonly gateway: { readonly clients: number };
}

/** A button of an inline keyboard in a bot reply. */
export interface InlineButton {
  readonly text: string;
  readonly callbackData?: string;
  readonly url?: string;
  readonly webAppUrl?: string;
}

/** What the bot did in answer to one playground update. */
export interface Reply {
  readonly method: 'sendMessage' | 'editMessageText' | 'answerCallbackQuery';
  readonly text?: string;
  readonly inlineKeyboard?: InlineButton[][];
  readonly replyKeyboard?: string[][];
}

/** The test user a playground update comes from. */
export interface PlaygroundUser {
  readonly id: number;
  readonly firstName: string;
  readonly username?: string;
}

/** A manual task's submission waiting for (or past) an admin's review. */
export interface Completion {
  id: number;
  taskId: number;
  taskTitle: string;
  rewardMinor: number;
  userId: number;
  telegramId: number;
  status: 'pending_review' | 'completed';
  createdAt: string;
}
