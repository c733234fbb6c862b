import { type Logger, silentLogger, type TieredStore } from '@hybridstate/core';
import type { AssistantFamilies, BookingDraft } from './assistant-keyspace.ts';
import { ChatMemory } from './chat-memory.ts';
import { EmailSubscribers } from './email-subscribers.ts';
import { MessageLog } from './message-log.ts';
import { UserData } from './user-data.ts';

/** Booking drafts (ephemeral: Redis, or process memory while Redis is down). */
export interface Drafts {
  get(userId: number): Promise<BookingDraft | undefined>;
  set(userId: number, draft: BookingDraft): Promise<void>;
  clear(userId: number): Promise<void>;
}

/** Everything the bot's handlers use. */
export interface AssistantServices {
  readonly memory: ChatMemory;
  readonly messages: MessageLog;
  readonly userData: UserData;
  readonly subscribers: EmailSubscribers;
  readonly drafts: Drafts;
  /** The clock bookings are checked against. */
  readonly now: () => Date;
  readonly logger: Logger;
}

/** Build the services on a started store whose keyspace declared `families`. */
export function assistantServices(
  store: TieredStore,
  families: AssistantFamilies,
  options: { logger?: Logger; now?: () => Date } = {},
): AssistantServices {
  const logger = options.logger ?? silentLogger;
  return {
    memory: new ChatMemory(store, families.memory, logger),
    messages: new MessageLog(store, families.message, logger),
    userData: new UserData(store, families),
    subscribers: new EmailSubscribers(store, families.subscribers),
    drafts: {
      get: (userId) => store.get(families.draft.key({ userId })),
      set: (userId, draft) => store.set(families.draft.key({ userId }), draft),
      clear: (userId) => store.delete(families.draft.key({ userId })),
    },
    now: options.now ?? (() => new Date()),
    logger,
  };
}
