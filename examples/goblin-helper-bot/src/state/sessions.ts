import type { Keyspace, TieredStore } from '@hybridstate/core';
import { type SessionFlavor, Sessions } from '@hybridstate/telegram';
import { monthOf } from '../domain/period.ts';
import { SESSION_NAMES } from './session-keys.ts';
import type {
  ChannelsSession,
  ChatSession,
  GlobalSession,
  PollsSession,
  SceneSession,
  UserSession,
} from './session-values.ts';
import { globalSchema } from './value-schemas.ts';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** Lifetimes of the sessions that expire (seed defect 1: nothing had a TTL). */
export const SESSION_TTLS_MS = {
  user: 90 * DAY_MS,
  chat: 90 * DAY_MS,
  scene: HOUR_MS,
} as const;

/** Overrides for tests. */
export interface GoblinSessionOptions {
  readonly sceneTtlMs?: number;
}

/**
 * Seed 000's registered sessions, with a durability and a lifetime each, and why. The seed's
 * `users`, `months`, `kickstarters`, `settings` sessions are not declared at all (seed defects
 * 2 and 3): that data lives in PostgreSQL tables behind the bridge. Its `lots` session is one
 * key per lot instead (`lot-families.ts`), so that joins of one lot do not wait on every other.
 */
export function goblinSessionDefinitions(options: GoblinSessionOptions = {}) {
  return {
    // Durable, no TTL: the current month decides what users pay for; losing it mis-bills.
    // Lazy: every update locking one global key would serialize the whole bot. Redis keeps
    // a hot copy for 1 hour only (the truth is the PostgreSQL row).
    globalSession: {
      scope: 'global' as const,
      name: SESSION_NAMES.global,
      durability: 'durable' as const,
      lazy: true as const,
      cacheTtlMs: HOUR_MS,
      initial: (): GlobalSession => ({ current: monthOf(new Date()), studios: [], toRemove: {} }),
      schema: globalSchema,
    },
    // Durable, no TTL: votes are the result of a poll. Polls older than 30 days are pruned
    // from the value when a new poll is created.
    polls: {
      scope: 'global' as const,
      name: SESSION_NAMES.polls,
      durability: 'durable' as const,
      lazy: true as const,
      cacheTtlMs: HOUR_MS,
      initial: (): PollsSession => ({ list: {} }),
    },
    // Durable, no TTL: the indexer's per-channel configuration, rebuilt only by `reset`.
    channelsSession: {
      scope: 'global' as const,
      name: SESSION_NAMES.channels,
      durability: 'durable' as const,
      lazy: true as const,
      cacheTtlMs: HOUR_MS,
      initial: (): ChannelsSession => ({ channels: {} }),
    },
    // Buffered, 90 days: UI state only (money and roles are rows), so a write may reach
    // PostgreSQL up to a flush later; a user silent for 90 days starts afresh. Eager: it is
    // the per-user lock that serializes one user's updates (no lost purchase).
    userSession: {
      scope: 'user' as const,
      name: SESSION_NAMES.user,
      durability: 'buffered' as const,
      ttlMs: SESSION_TTLS_MS.user,
      initial: (): UserSession => ({ catalogPage: 0 }),
    },
    // Buffered, 90 days, lazy: a busy group must not serialize on its chat key.
    chatSession: {
      scope: 'chat' as const,
      name: SESSION_NAMES.chat,
      durability: 'buffered' as const,
      lazy: true as const,
      ttlMs: SESSION_TTLS_MS.chat,
      initial: (): ChatSession => ({}),
    },
    // Ephemeral, 1 hour: a lot being drafted; abandoned drafts vanish on their own (the
    // seed's scene session, never worth a PostgreSQL write). Lazy: only drafting locks it.
    scene: {
      scope: 'user-in-chat' as const,
      name: SESSION_NAMES.scene,
      durability: 'ephemeral' as const,
      lazy: true as const,
      ttlMs: options.sceneTtlMs ?? SESSION_TTLS_MS.scene,
      initial: (): SceneSession => ({}),
    },
  };
}

/** The session definitions' type. */
export type GoblinSessionDefinitions = ReturnType<typeof goblinSessionDefinitions>;

/** What handlers see: `ctx.globalSession`, `ctx.userSession`, ... (lazy ones are promises). */
export type GoblinSessionFlavor = SessionFlavor<GoblinSessionDefinitions>;

/** The bot's sessions on a store; declares their families in `keyspace`. */
export function goblinSessions(
  store: TieredStore,
  keyspace: Keyspace,
  options: GoblinSessionOptions = {},
): Sessions<GoblinSessionDefinitions> {
  return new Sessions(store, keyspace, goblinSessionDefinitions(options));
}
