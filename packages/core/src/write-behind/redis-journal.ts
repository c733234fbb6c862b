import type { ScriptedClient } from '../tiers/redis-tier.ts';
import { guard } from '../tiers/redis-tier.ts';
import { FLUSHER_GROUP, type JournalKeys } from './journal-keys.ts';

/** One pending write, as the journal holds it. */
export interface JournalEntry {
  /** Stream entry id. */
  readonly id: string;
  readonly namespace: string;
  readonly key: string;
  /** Encoded value; `null` for a deletion. */
  readonly value: string | null;
  readonly version: number;
  readonly expiresAt: number | null;
  /** Cache TTL the value gets once flushed; `null` for entries written before it was recorded. */
  readonly ttlMs: number | null;
}

type RawEntry = [string, string[] | null];

/** Dead letters kept per shard (the oldest go first); each is also logged as an error. */
export const DEAD_LETTER_MAX = 10_000;

/** Lower a shard's flush deadline to ARGV[1] unless an earlier one is set. */
const LOWER_DEADLINE = `
local current = tonumber(redis.call('GET', KEYS[1]) or '0') or 0
if current == 0 or current > tonumber(ARGV[1]) then redis.call('SET', KEYS[1], ARGV[1]) end
return 1
`;

/**
 * The write-behind journal of one keyspace on Redis: a Stream per shard read through the
 * consumer group `hs-flushers`. Each entry is delivered to one flusher; entries of a flusher
 * that died are claimed by another after `claimIdleMs`; an entry leaves the journal only
 * when `ack` runs, after its PostgreSQL batch committed.
 */
export class RedisJournal {
  readonly #client: ScriptedClient;
  readonly #consumer: string;

  constructor(client: ScriptedClient, consumer: string) {
    this.#client = client;
    this.#consumer = consumer;
  }

  /** Entries delivered to this consumer earlier and not acknowledged (a flush that failed). */
  readOwnPending(keys: JournalKeys, count: number): Promise<JournalEntry[]> {
    return this.#readGroup(keys, count, '0');
  }

  /** Entries no consumer has seen yet. */
  readNew(keys: JournalKeys, count: number): Promise<JournalEntry[]> {
    return this.#readGroup(keys, count, '>');
  }

  /** Take over entries another consumer left idle for `idleMs` (it probably died). */
  async claimIdle(
    keys: JournalKeys,
    idleMs: number,
    count: number,
    cursor = '0-0',
  ): Promise<{ entries: JournalEntry[]; cursor: string }> {
    const reply = (await this.#withGroup(keys, () =>
      this.#client.xautoclaim(
        keys.journal,
        FLUSHER_GROUP,
        this.#consumer,
        idleMs,
        cursor,
        'COUNT',
        count,
      ),
    )) as [string, RawEntry[]];
    return { cursor: reply[0], entries: parseEntries(reply[1]) };
  }

  /**
   * Acknowledge and delete entries whose batch committed, and start each value's cache TTL
   * (a pending value has none, so that it cannot expire before it reaches PostgreSQL).
   */
  async ack(keys: JournalKeys, entries: readonly JournalEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const valueKeys = entries.map((e) => `${keys.tag}:${e.key}`);
    const args = entries.flatMap((e) => [
      e.id,
      e.version >= 0 ? String(e.version) : '',
      e.ttlMs === null ? '' : String(e.ttlMs),
    ]);
    await guard(
      this.#client.hsAck(1 + entries.length, keys.journal, ...valueKeys, FLUSHER_GROUP, ...args),
    );
  }

  /** Record an entry PostgreSQL refused, with the reason, in the shard's dead-letter stream. */
  async deadLetter(keys: JournalKeys, entry: JournalEntry, error: string): Promise<void> {
    await guard(
      this.#client.xadd(
        keys.dead,
        'MAXLEN',
        '~',
        String(DEAD_LETTER_MAX),
        '*',
        'n',
        entry.namespace,
        'k',
        entry.key,
        'v',
        String(entry.version),
        'd',
        entry.value ?? '',
        'error',
        error,
        'at',
        new Date().toISOString(),
      ),
    );
  }

  /** Read and clear the shard's deadline (entries written after this set a new one). */
  async takeDeadline(keys: JournalKeys): Promise<number | null> {
    const value = await guard(this.#client.getdel(keys.deadline));
    return value === null ? null : Number(value);
  }

  /** The shard's deadline without clearing it. */
  async deadline(keys: JournalKeys): Promise<number | null> {
    const value = await guard(this.#client.get(keys.deadline));
    return value === null ? null : Number(value);
  }

  /** Ask for a flush by `at` (epoch ms), keeping an earlier deadline. */
  async lowerDeadline(keys: JournalKeys, at: number): Promise<void> {
    await guard(this.#client.eval(LOWER_DEADLINE, 1, keys.deadline, String(Math.floor(at))));
  }

  /** Pending entries, the oldest one's age, and dead letters of a shard. */
  async stats(
    keys: JournalKeys,
  ): Promise<{ pending: number; oldestAt: number | null; deadLetters: number }> {
    const [pending, first, deadLetters] = await guard(
      Promise.all([
        this.#client.xlen(keys.journal),
        this.#client.xrange(keys.journal, '-', '+', 'COUNT', 1),
        this.#client.xlen(keys.dead),
      ]),
    );
    const firstId = first[0]?.[0];
    return {
      pending,
      oldestAt: firstId === undefined ? null : Number(firstId.split('-')[0]),
      deadLetters,
    };
  }

  /** Dead letters of a shard, oldest first. */
  async deadLetters(keys: JournalKeys, count = 100): Promise<Record<string, string>[]> {
    const rows = await guard(this.#client.xrange(keys.dead, '-', '+', 'COUNT', count));
    return rows.map(([id, fields]) => ({ id, ...Object.fromEntries(pairs(fields)) }));
  }

  async #readGroup(keys: JournalKeys, count: number, from: '0' | '>'): Promise<JournalEntry[]> {
    const reply = (await this.#withGroup(keys, () =>
      this.#client.xreadgroup(
        'GROUP',
        FLUSHER_GROUP,
        this.#consumer,
        'COUNT',
        count,
        'STREAMS',
        keys.journal,
        from,
      ),
    )) as [string, RawEntry[]][] | null;
    return parseEntries(reply?.[0]?.[1] ?? []);
  }

  /** Run a group command, creating the group first when Redis lost it (restart, new shard). */
  async #withGroup<T>(keys: JournalKeys, command: () => Promise<T>): Promise<T> {
    try {
      return await guard(command());
    } catch (error) {
      if (!String((error as Error).cause ?? error).includes('NOGROUP')) throw error;
      await guard(
        this.#client
          .xgroup('CREATE', keys.journal, FLUSHER_GROUP, '0', 'MKSTREAM')
          .catch((e: unknown) => (String(e).includes('BUSYGROUP') ? 'OK' : Promise.reject(e))),
      );
      return guard(command());
    }
  }
}

function parseEntries(raw: readonly RawEntry[]): JournalEntry[] {
  const out: JournalEntry[] = [];
  for (const [id, fields] of raw) {
    // A deleted entry still listed as pending comes back without fields: nothing left to write.
    if (fields === null) {
      out.push({
        id,
        namespace: '',
        key: '',
        value: null,
        version: -1,
        expiresAt: null,
        ttlMs: null,
      });
      continue;
    }
    let namespace = '';
    let key = '';
    let value: string | null = null;
    let version = -1;
    let expiresAt: number | null = null;
    let ttlMs: number | null = null;
    for (let i = 0; i + 1 < fields.length; i += 2) {
      const field = fields[i];
      const text = fields[i + 1]!;
      if (field === 'n') namespace = text;
      else if (field === 'k') key = text;
      else if (field === 'd') value = text;
      else if (field === 'v') version = Number(text);
      else if (field === 'e') expiresAt = text === '' ? null : Number(text);
      else if (field === 'c') ttlMs = Number(text);
    }
    out.push({ id, namespace, key, value, version, expiresAt, ttlMs });
  }
  return out;
}

function pairs(fields: readonly string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) out.push([fields[i]!, fields[i + 1]!]);
  return out;
}
