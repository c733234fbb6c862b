import { KeyedMutex, type Logger, silentLogger, type TieredStore } from '@hybridstate/core';
import { type AssistantFamilies, type ChatTurn, HISTORY_LIMIT } from './assistant-keyspace.ts';
import { RamFallback } from './ram-fallback.ts';
import { isStorageUnavailable } from './storage-unavailable.ts';

/** Where a history was read from or written to. */
export type MemoryTier = 'store' | 'ram';

/**
 * The chat history `user_memory:{userId}` with seed 003's read order: Redis -> PostgreSQL
 * (both through the store) -> RAM.
 * - Normal: `update` appends in Redis and the journal (buffered); the flusher copies it to
 *   PostgreSQL.
 * - Redis down: a buffered `update` is refused (PostgreSQL may lag the journal), so the
 *   history is read from PostgreSQL and written straight back to it, one writer per user in
 *   this process. Turns still unflushed when Redis went away are then missing from the
 *   capped history; every message is still in the message log.
 * - Both down: the turns stay in RAM and are written with the user's next message once a
 *   tier answers.
 */
export class ChatMemory {
  readonly #store: TieredStore;
  readonly #family: AssistantFamilies['memory'];
  readonly #ram = new RamFallback<ChatTurn>({ maxTurns: HISTORY_LIMIT });
  readonly #mutex = new KeyedMutex();
  readonly #logger: Logger;

  constructor(store: TieredStore, family: AssistantFamilies['memory'], logger = silentLogger) {
    this.#store = store;
    this.#family = family;
    this.#logger = logger;
  }

  /** The last {@link HISTORY_LIMIT} turns of `userId`, oldest first. */
  async history(userId: number): Promise<{ turns: ChatTurn[]; from: MemoryTier }> {
    const id = String(userId);
    try {
      const stored = (await this.#store.get(this.#family.key({ userId }))) ?? [];
      const turns = cap([...stored, ...this.#ram.pending(id)]);
      this.#ram.remember(id, turns);
      return { turns, from: 'store' };
    } catch (error) {
      if (!isStorageUnavailable(error)) throw error;
      return { turns: this.#ram.known(id), from: 'ram' };
    }
  }

  /** Append turns (and any kept in RAM during an outage). Never fails for an outage. */
  async append(userId: number, turns: readonly ChatTurn[]): Promise<MemoryTier> {
    const id = String(userId);
    return this.#mutex.run(id, async () => {
      const all = [...this.#ram.takePending(id), ...turns];
      try {
        this.#ram.remember(id, await this.#write(userId, all));
        return 'store';
      } catch (error) {
        if (!isStorageUnavailable(error)) {
          this.#ram.keep(id, all.slice(0, all.length - turns.length));
          throw error;
        }
        this.#logger.warn({ userId }, 'Redis and PostgreSQL unavailable: chat memory kept in RAM');
        this.#ram.keep(id, all);
        return 'ram';
      }
    });
  }

  /**
   * Write the turns kept in RAM during an outage without waiting for each user's next message
   * (the app calls it on a timer). Returns how many users' turns reached the store.
   */
  async flushPending(): Promise<number> {
    let written = 0;
    for (const userId of this.#ram.pendingIds()) {
      if ((await this.append(Number(userId), [])) === 'store') written++;
    }
    return written;
  }

  /** Users with turns waiting in RAM for a tier to come back. */
  get pendingUsers(): number {
    return this.#ram.pendingUsers;
  }

  async #write(userId: number, turns: readonly ChatTurn[]): Promise<ChatTurn[]> {
    const ref = this.#family.key({ userId });
    try {
      return (await this.#store.update(ref, (list = []) => cap([...list, ...turns]))) ?? [];
    } catch (error) {
      if (!isStorageUnavailable(error)) throw error;
      // Redis down: write through PostgreSQL (see the class comment). Both down: this throws too.
      const next = cap([...((await this.#store.get(ref)) ?? []), ...turns]);
      await this.#store.set(ref, next);
      return next;
    }
  }
}

function cap(turns: ChatTurn[]): ChatTurn[] {
  return turns.slice(-HISTORY_LIMIT);
}
