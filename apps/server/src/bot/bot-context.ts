import type { SessionFlavor } from '@hybridstate/telegram';
import type { Context } from 'grammy';
import type { User } from '../services/users.ts';

/** Where a user is in a conversation: a scenario's `ask` step, or a quiz task's question. */
export type ConversationState =
  | {
      readonly kind: 'scenario';
      readonly scenarioId: number;
      readonly step: number;
    }
  | { readonly kind: 'quiz'; readonly taskId: number };

/** The bot's hybridstate sessions. */
export function botSessionDefinitions() {
  return {
    /** Per user in chat, ephemeral like a scene: gone an hour after the last step. */
    conversation: {
      scope: 'user-in-chat' as const,
      name: 'platform_conversation',
      durability: 'ephemeral' as const,
      ttlMs: 3_600_000,
    },
    /** Answers of `ask` steps with `store: 'session'`, per user, durable. */
    answers: {
      scope: 'user' as const,
      name: 'platform_answers',
      initial: (): Record<string, string> => ({}),
    },
  };
}

/** The bot's context: grammY's, the sessions, and the platform user behind the update. */
export type BotContext = Context &
  SessionFlavor<ReturnType<typeof botSessionDefinitions>> & {
    conversation: ConversationState | null | undefined;
    platformUser: User;
  };
