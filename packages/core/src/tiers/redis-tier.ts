import type { Cluster, Redis } from 'ioredis';
import type { Family, KeyRef } from '../keyspace/family.ts';
import { journalKeysOf } from '../write-behind/journal-keys.ts';
import { KeptWriteBatch, type WriteReply } from './kept-write-batch.ts';
import { hashTagOf, lockKeyOf, wantedSetOf } from './lock-keys.ts';
import { toTierError } from './redis-errors.ts';
import {
  ACK_SCRIPT,
  BATCH_WRITE_SCRIPT,
  CHECK_KEPT_SCRIPT,
  EVICT_SCRIPT,
  JOURNALED_WRITE_SCRIPT,
  LOCK_READ_SCRIPT,
  LOCK_SCRIPT,
  RENEW_SCRIPT,
  UNLOCK_SCRIPT,
  WRITE_SCRIPT,
} from './redis-scripts.ts';
import { waitForReplicas } from './replica-wait.ts';
import type {
  CacheLookup,
  CacheTier,
  StoredEntry,
  TierWrite,
  TierWriteOptions,
  WriteOutcome,
} from './tier.ts';

/** An ioredis client: a single node or a Cluster. */
export type RedisClient = Redis | Cluster;

/** The client with the tier's Lua scripts defined. Scripts take their key count first. */
export type ScriptedClient = RedisClient & {
  hsWrite(numberOfKeys: number, ...keysThenArgs: string[]): Promise<WriteReply>;
  hsJournaledWrite(numberOfKeys: number, ...keysThenArgs: string[]): Promise<WriteReply>;
  hsEvict(key: string, version: string): Promise<number>;
  hsAck(numberOfKeys: number, ...keysThenArgs: string[]): Promise<number>;
  hsUnlock(numberOfKeys: number, ...keysThenArgs: string[]): Promise<number>;
  hsRenew(numberOfKeys: number, ...keysThenArgs: string[]): Promise<number>;
  hsCheckKept(numberOfKeys: number, ...keysThenArgs: string[]): Promise<[number[], string[]]>;
  hsWriteBatch(numberOfKeys: number, ...keysThenArgs: string[]): Promise<(number | string)[]>;
  hsLock(numberOfKeys: number, ...keysThenArgs: string[]): Promise<[number]>;
  hsLockRead(
    numberOfKeys: number,
    ...keysThenArgs: string[]
  ): Promise<[number, (string | null)?, (string | null)?, (string | null)?]>;
};

/**
 * Redis as a tier. The client is injected (see `createRedisClient` for the options that keep
 * calls bounded while Redis is unreachable). Batches are sent as concurrent single-key
 * commands, which ioredis writes back to back (one round trip) and routes per node on a Cluster.
 *
 * @example
 * ```ts
 * const tier = new RedisTier(await createRedisClient(config.redis.url));
 * ```
 */
export class RedisTier implements CacheTier {
  readonly kind = 'redis' as const;
  readonly client: RedisClient;
  readonly #scripted: ScriptedClient;
  /** Kept-lease writes of one tick, one script per hash tag. */
  readonly #kept: KeptWriteBatch;

  constructor(client: RedisClient) {
    this.client = client;
    this.#scripted = defineScripts(client);
    this.#kept = new KeptWriteBatch(
      (keys, writes) => this.#scripted.hsWriteBatch(keys.length, ...keys, writes),
      (kind, keys, args) =>
        kind === 'w'
          ? this.#scripted.hsWrite(keys.length, ...keys, ...args)
          : this.#scripted.hsJournaledWrite(keys.length, ...keys, ...args),
      client.isCluster === true,
    );
  }

  async read(refs: readonly KeyRef[]): Promise<(StoredEntry | null)[]> {
    const found = await this.lookup(refs);
    return found.map((entry) => (entry === null || 'deleted' in entry ? null : entry));
  }

  async lookup(refs: readonly KeyRef[]): Promise<CacheLookup[]> {
    return Promise.all(refs.map((ref) => this.#readOne(ref).catch(rethrowFor(ref))));
  }

  async write(
    entries: readonly TierWrite[],
    options: TierWriteOptions = {},
  ): Promise<WriteOutcome[]> {
    return Promise.all(entries.map((e) => this.#writeOne(e, e.version, '', options)));
  }

  compareAndSet(
    entry: Omit<TierWrite, 'version'>,
    expected: number | null,
    options: TierWriteOptions = {},
  ): Promise<WriteOutcome> {
    const condition = expected === null ? '-' : String(expected);
    return this.#writeOne(entry, undefined, condition, options);
  }

  /**
   * Write entries and append each to its shard's write-behind journal in the same atomic step
   * (buffered families). `flushBy` is the epoch ms by which the flusher must copy them.
   */
  async writeJournaled(
    entries: readonly TierWrite[],
    flushBy: readonly number[],
    options: TierWriteOptions = {},
  ): Promise<WriteOutcome[]> {
    return Promise.all(
      entries.map((e, i) => this.#journaled(e, e.version, '', flushBy[i]!, options)),
    );
  }

  /** Compare-and-set that also journals the write (buffered families). */
  async compareAndSetJournaled(
    entry: Omit<TierWrite, 'version'>,
    expected: number | null,
    flushBy: number,
    options: TierWriteOptions = {},
  ): Promise<WriteOutcome> {
    const condition = expected === null ? '-' : String(expected);
    return this.#journaled(entry, undefined, condition, flushBy, options);
  }

  async tryLock(refs: readonly KeyRef[], token: string, leaseMs: number): Promise<boolean[]> {
    const lease = String(Math.max(1, Math.ceil(leaseMs)));
    return Promise.all(
      refs.map((ref) =>
        this.#scripted
          .hsLock(2, lockKeyOf(ref), wantedSetOf(ref), token, lease)
          .then((reply) => reply[0] === 1, rethrowFor(ref)),
      ),
    );
  }

  async tryLockAndLookup(
    refs: readonly KeyRef[],
    token: string,
    leaseMs: number,
  ): Promise<{ acquired: boolean; lookup: CacheLookup }[]> {
    const lease = String(Math.max(1, Math.ceil(leaseMs)));
    return Promise.all(
      refs.map(async (ref) => {
        const reply = await this.#scripted
          .hsLockRead(3, lockKeyOf(ref), ref.redisKey, wantedSetOf(ref), token, lease)
          .catch(rethrowFor(ref));
        if (reply[0] !== 1) return { acquired: false, lookup: null };
        const [, value, version, expiresAt] = reply;
        if (value == null)
          return {
            acquired: true,
            lookup: version == null ? null : { deleted: true as const, version: Number(version) },
          };
        return {
          acquired: true,
          lookup: {
            value,
            version: Number(version),
            expiresAt: expiresAt ? Number(expiresAt) : null,
          },
        };
      }),
    );
  }

  async unlock(refs: readonly KeyRef[], token: string): Promise<void> {
    await Promise.all(
      byHashTag(refs).map((group) =>
        this.#scripted
          .hsUnlock(group.length, ...group.map(lockKeyOf), token)
          .catch(rethrowFor(group[0]!)),
      ),
    );
  }

  async renewLocks(refs: readonly KeyRef[], token: string, leaseMs: number): Promise<number> {
    const lease = String(Math.max(1, Math.ceil(leaseMs)));
    const renewed = await Promise.all(
      byHashTag(refs).map((group) =>
        this.#scripted
          .hsRenew(group.length, ...group.map(lockKeyOf), token, lease)
          .catch(rethrowFor(group[0]!)),
      ),
    );
    return renewed.reduce((a, b) => a + b, 0);
  }

  async checkKept(
    refs: readonly KeyRef[],
    renew: readonly boolean[],
    token: string,
    leaseMs: number,
  ): Promise<{ held: boolean; wanted: boolean }[]> {
    const lease = String(Math.max(1, Math.ceil(leaseMs)));
    const results = refs.map(() => ({ held: true, wanted: false }));
    const shards = new Map<string, number[]>();
    refs.forEach((ref, i) => {
      const shard = shards.get(hashTagOf(ref));
      if (shard === undefined) shards.set(hashTagOf(ref), [i]);
      else shard.push(i);
    });
    // One call per shard: the renewals due and the shard's wanted set.
    await Promise.all(
      [...shards.values()].map(async (indexes) => {
        const due = indexes.filter((i) => renew[i]);
        const first = refs[indexes[0]!]!;
        const [states, wanted] = await this.#scripted
          .hsCheckKept(
            1 + due.length,
            wantedSetOf(first),
            ...due.map((i) => lockKeyOf(refs[i]!)),
            token,
            lease,
          )
          .catch(rethrowFor(first));
        const asked = new Set(wanted);
        due.forEach((index, j) => {
          results[index] = { held: states[j] !== 0, wanted: states[j] === 2 };
        });
        for (const index of indexes)
          if (asked.has(lockKeyOf(refs[index]!))) results[index]!.wanted = true;
      }),
    );
    return results;
  }

  /**
   * A second connection for bulk work (the write-behind journal), so that large replies never
   * queue in front of the hot path, with a longer per-command timeout. The caller closes it.
   */
  duplicateForBulk(commandTimeoutMs: number): ScriptedClient {
    // Connect now and queue commands until ready: the first flush must not fail on a cold link.
    const options = { enableOfflineQueue: true, lazyConnect: false } as const;
    const client = this.client.isCluster
      ? duplicateCluster(this.client as Cluster, options, commandTimeoutMs)
      : (this.client as Redis).duplicate({ ...options, commandTimeout: commandTimeoutMs });
    // Failures surface on the commands (HS_TIER_UNAVAILABLE); don't print every reconnect.
    client.on('error', () => undefined);
    return defineScripts(client);
  }

  /** The ioredis client with this tier's scripts defined (for the write-behind journal). */
  get scripted(): ScriptedClient {
    return this.#scripted;
  }

  /**
   * Wait until `replicas` replicas hold what the masters of `refs` were sent so far (Redis
   * `WAIT` on each master's own connection, the one that carried the writes), at most
   * `timeoutMs`. Resolves, per ref, whether its master confirmed.
   */
  async waitForReplicas(
    refs: readonly KeyRef[],
    replicas: number,
    timeoutMs: number,
  ): Promise<boolean[]> {
    return waitForReplicas(
      this.client,
      refs.map((ref) => ref.redisKey),
      replicas,
      timeoutMs,
    );
  }

  async evictOlderThan(refs: readonly KeyRef[], versions: readonly number[]): Promise<void> {
    await Promise.all(
      refs.map((ref, i) =>
        this.#scripted.hsEvict(ref.redisKey, String(versions[i])).catch(rethrowFor(ref)),
      ),
    );
  }

  async *scan(family: Family, pageSize = 500): AsyncIterable<KeyRef[]> {
    const pattern = family.redisPattern();
    for (const node of masters(this.client)) {
      let cursor = '0';
      do {
        const [next, keys] = await guard(node.scan(cursor, 'MATCH', pattern, 'COUNT', pageSize));
        cursor = next;
        const page = keys
          .filter((k) => family.ownsRedisKey(k))
          .map((k) => family.keyFromStorage(k.slice(k.indexOf('}:') + 2)));
        const live = await this.read(page);
        const found = page.filter((_, i) => live[i] !== null);
        if (found.length > 0) yield found;
      } while (cursor !== '0');
    }
  }

  async ping(): Promise<number> {
    const started = performance.now();
    await guard(this.client.ping());
    return performance.now() - started;
  }

  async #readOne(ref: KeyRef): Promise<CacheLookup> {
    const [value, version, expiresAt] = await this.client.hmget(ref.redisKey, 'd', 'v', 'e');
    if (value == null) return version == null ? null : { deleted: true, version: Number(version) };
    return { value, version: Number(version), expiresAt: expiresAt ? Number(expiresAt) : null };
  }

  /** One write; a kept-lease write joins its tick's batch. Failures arrive as typed errors. */
  #writeOne(
    entry: Omit<TierWrite, 'version'>,
    version: number | undefined,
    expected: string,
    options: TierWriteOptions,
  ): Promise<WriteOutcome> {
    const locked = options.unlockToken !== undefined;
    const keys = locked ? [entry.ref.redisKey, lockKeyOf(entry.ref)] : [entry.ref.redisKey];
    const args = applyArgs(entry, version, expected, options);
    if (options.keepLeaseMs !== undefined) return this.#kept.add(entry.ref, 'w', keys, args);
    return this.#scripted
      .hsWrite(keys.length, ...keys, ...args)
      .then(outcomeOf, rethrowFor(entry.ref));
  }

  #journaled(
    entry: Omit<TierWrite, 'version'>,
    version: number | undefined,
    expected: string,
    flushBy: number,
    options: TierWriteOptions,
  ): Promise<WriteOutcome> {
    const journal = journalKeysOf(entry.ref);
    const keys = [entry.ref.redisKey, journal.journal, journal.deadline];
    const args = applyArgs(entry, version, expected, undefined);
    args.push(entry.ref.family.namespace, entry.ref.key, String(Math.floor(flushBy)));
    withLock(keys, args, entry.ref, options);
    if (options.keepLeaseMs !== undefined) return this.#kept.add(entry.ref, 'j', keys, args);
    return this.#scripted
      .hsJournaledWrite(keys.length, ...keys, ...args)
      .then(outcomeOf, rethrowFor(entry.ref));
  }
}

/**
 * When the write releases or keeps a session lock: its lock key after `keys`, and its token,
 * mode and lease (see FENCE) after `args`.
 */
function withLock(keys: string[], args: string[], ref: KeyRef, options: TierWriteOptions): void {
  const token = options.unlockToken;
  if (token === undefined) return;
  keys.push(lockKeyOf(ref));
  if (options.keepLeaseMs === undefined) args.push(token, lockMode(options));
  else args.push(token, lockMode(options), leaseArg(options));
}

/** The lock handling of a write (see FENCE): release ('0', '1' fenced) or keep ('K', 'k' fenced). */
function lockMode(options: TierWriteOptions): string {
  const fenced = options.fence === true;
  if (options.keepLeaseMs === undefined) return fenced ? '1' : '0';
  return fenced ? 'k' : 'K';
}

/** Most keys in one unlock or renewal call: a call blocks Redis while it runs. */
const KEYS_PER_CALL = 128;

/**
 * `refs` by hash tag, in groups of at most {@link KEYS_PER_CALL}: one script call reaches the
 * keys of a group in one step (one Cluster slot), where a call per key made letting go of
 * thousands of idle session leases cost thousands of round trips.
 */
function byHashTag(refs: readonly KeyRef[]): KeyRef[][] {
  const tags = new Map<string, KeyRef[]>();
  const groups: KeyRef[][] = [];
  for (const ref of refs) {
    const tag = hashTagOf(ref);
    let group = tags.get(tag);
    if (group === undefined || group.length >= KEYS_PER_CALL) {
      group = [];
      tags.set(tag, group);
      groups.push(group);
    }
    group.push(ref);
  }
  return groups;
}

/** A write script's reply as an outcome (kept-lease writes: see KeptWriteBatch). */
function outcomeOf(reply: WriteReply): WriteOutcome {
  return { applied: reply[0] === 1, version: Number(reply[1]) };
}

/**
 * ARGV of the APPLY part of the write scripts, followed by the lock's (see {@link withLock})
 * when `lock` holds a token; made at its final size, as a session's commit does on every update.
 */
function applyArgs(
  entry: Omit<TierWrite, 'version'>,
  version: number | undefined,
  expected: string,
  lock: TierWriteOptions | undefined,
): string[] {
  const kind = entry.value === null ? 't' : 'v';
  const value = entry.value ?? '';
  const v = version === undefined ? '' : String(version);
  const ttl = String(Math.max(1, Math.ceil(entry.ttlMs)));
  const expiresAt = entry.expiresAt === null ? '' : String(entry.expiresAt);
  const token = lock?.unlockToken;
  if (lock === undefined || token === undefined) return [kind, value, v, ttl, expiresAt, expected];
  if (lock.keepLeaseMs === undefined)
    return [kind, value, v, ttl, expiresAt, expected, token, lockMode(lock)];
  return [kind, value, v, ttl, expiresAt, expected, token, lockMode(lock), leaseArg(lock)];
}

/** A kept lease's renewal argument: '0' keeps the lease as it is (it was renewed recently). */
function leaseArg(options: TierWriteOptions): string {
  const ms = options.keepLeaseMs ?? 0;
  return ms === 0 ? '0' : String(Math.max(1, Math.ceil(ms)));
}

function defineScripts(client: RedisClient): ScriptedClient {
  const scripted = client as ScriptedClient;
  if (typeof scripted.hsLock !== 'function') {
    // Scripts without numberOfKeys take the key count as their first argument.
    client.defineCommand('hsWrite', { lua: WRITE_SCRIPT });
    client.defineCommand('hsJournaledWrite', { lua: JOURNALED_WRITE_SCRIPT });
    client.defineCommand('hsEvict', { numberOfKeys: 1, lua: EVICT_SCRIPT });
    client.defineCommand('hsAck', { lua: ACK_SCRIPT });
    client.defineCommand('hsUnlock', { lua: UNLOCK_SCRIPT });
    client.defineCommand('hsRenew', { lua: RENEW_SCRIPT });
    client.defineCommand('hsCheckKept', { lua: CHECK_KEPT_SCRIPT });
    client.defineCommand('hsWriteBatch', { lua: BATCH_WRITE_SCRIPT });
    client.defineCommand('hsLockRead', { lua: LOCK_READ_SCRIPT });
    client.defineCommand('hsLock', { lua: LOCK_SCRIPT });
  }
  return scripted;
}

/**
 * `Cluster.duplicate` replaces `redisOptions` whole (credentials, TLS, timeouts would be lost)
 * and keeps the cluster-level offline queue and lazy connect, so both levels are set here.
 */
function duplicateCluster(
  cluster: Cluster,
  options: { enableOfflineQueue: boolean; lazyConnect: boolean },
  commandTimeout: number,
): Cluster {
  const redisOptions = { ...cluster.options.redisOptions, commandTimeout };
  return cluster.duplicate(undefined, { ...options, redisOptions });
}

function masters(client: RedisClient): Redis[] {
  return client.isCluster ? (client as Cluster).nodes('master') : [client as Redis];
}

/** Map every client failure to a typed error; WRONGTYPE means a foreign value sits on our key. */
export async function guard<T>(pending: Promise<T>): Promise<T> {
  return pending.catch(rethrowFor(undefined));
}

function rethrowFor(ref: KeyRef | undefined): (error: unknown) => never {
  return (error) => {
    throw toTierError(error, ref);
  };
}
