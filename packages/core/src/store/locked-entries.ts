import { decodeValue } from '../codec/codec.ts';
import { hsError } from '../errors.ts';
import type { KeyRef } from '../keyspace/family.ts';
import {
  FENCED,
  type StoredEntry,
  type TierWrite,
  type TierWriteOptions,
  type WriteOutcome,
} from '../tiers/tier.ts';
import type { KeptLease } from './kept-leases.ts';
import type { HeldLease, KeyLocker } from './key-locker.ts';
import type { ReadVersions, StoreWriter } from './store-writer.ts';

/** A change to commit: a new value, or `delete: true`. */
export type LockedChange =
  | {
      readonly ref: KeyRef;
      readonly value: unknown;
      readonly ttlMs?: number;
      readonly encoded?: string;
    }
  | { readonly ref: KeyRef; readonly delete: true };

/**
 * Keys held under lock (see `TieredStore.lock`): their values as read once the locks were
 * taken, and one `commit` (or `release`) that writes the changes and frees every lock, the
 * written ones in the same Redis step as their write.
 */
export class LockedEntries implements ReadVersions {
  readonly refs: readonly KeyRef[];
  readonly #entries: readonly (StoredEntry | null)[];
  readonly #token: string;
  readonly #locker: KeyLocker;
  readonly #writer: StoreWriter;
  readonly #releaseLocal: () => Promise<void> | void;
  readonly #redisLocked: boolean;
  readonly #leaseMs: number;
  /** Kept leases (`keepMs`), one per ref: the commit keeps them and updates their copies. */
  readonly #kept: readonly KeptLease[] | undefined;
  #renewal: HeldLease | undefined;
  #done = false;

  constructor(init: {
    refs: readonly KeyRef[];
    entries: readonly (StoredEntry | null)[];
    token: string;
    locker: KeyLocker;
    writer: StoreWriter;
    releaseLocal: () => Promise<void> | void;
    redisLocked: boolean;
    leaseMs: number;
    kept: readonly KeptLease[] | undefined;
  }) {
    this.refs = init.refs;
    this.#entries = init.entries;
    this.#token = init.token;
    this.#locker = init.locker;
    this.#writer = init.writer;
    this.#releaseLocal = init.releaseLocal;
    this.#redisLocked = init.redisLocked;
    this.#leaseMs = init.leaseMs;
    this.#kept = init.kept;
    // Kept leases are renewed by their own ticker (see KeptLeases).
    if (init.redisLocked && init.kept === undefined) {
      this.#renewal = {
        refs: this.refs,
        token: this.#token,
        leaseMs: init.leaseMs,
        renewAt: Date.now() + init.leaseMs / 3,
      };
      this.#locker.track(this.#renewal);
    }
  }

  /** The value of a held key as read under the lock, or `undefined`. */
  get<V>(ref: KeyRef<V>): V | undefined {
    const entry = this.#entries[this.#indexOf(ref)];
    return entry == null ? undefined : (decodeValue(entry.value, ref.redisKey) as V);
  }

  /**
   * The stored text of a held key when it is known to be exactly what encoding its value gives
   * (this process wrote it under a kept lease), else `undefined`: a caller that compares
   * encodings to see whether a value changed can skip encoding the value as read.
   */
  ownText(ref: KeyRef): string | undefined {
    if (this.#kept === undefined) return undefined;
    const index = this.#indexOf(ref);
    return this.#kept[index]!.ownText ? this.#entries[index]?.value : undefined;
  }

  /** The stored version of a held key (0 when absent). */
  version(ref: KeyRef): number {
    return this.#entries[this.#indexOf(ref)]?.version ?? 0;
  }

  /**
   * Write the changes and release every lock. Values are checked before anything is written;
   * a bad value releases the locks and throws, having written nothing. A write whose lease ran
   * out (another holder may have taken the key) is refused with `HS_LOCK_LOST`.
   */
  commit(changes: readonly LockedChange[]): Promise<void> {
    try {
      this.#finish();
    } catch (error) {
      return Promise.reject(error);
    }
    let written: Promise<{ writes: TierWrite[]; outcomes: WriteOutcome[] }>;
    try {
      const puts: Exclude<LockedChange, { delete: true }>[] = [];
      const deletes: KeyRef[] = [];
      for (const change of changes) {
        this.#indexOf(change.ref);
        if ('delete' in change) deletes.push(change.ref);
        else puts.push(change);
      }
      const writes = this.#writer.prepare(puts);
      if (deletes.length > 0) writes.push(...this.#writer.tombstones(deletes));
      // A kept session's commit, the hot path: one write, one step chained on it.
      if (this.#kept !== undefined && writes.length === 1)
        return this.#writeKeepingOne(writes[0]!, this.#kept);
      written =
        this.#kept === undefined
          ? this.#writeAndUnlock(writes)
          : this.#writeKeeping(writes, this.#kept);
    } catch (error) {
      return this.#failed(error);
    }
    // Plain callbacks, not an async function: a session's commit is the hot path.
    return written.then(
      (result) => this.#written(result),
      (error: unknown) => this.#failed(error),
    );
  }

  /** After the writes: refuse lost leases, then free this process's hold. */
  #written(result: { writes: TierWrite[]; outcomes: WriteOutcome[] }): Promise<void> | void {
    const lost: TierWrite[] = [];
    for (let i = 0; i < result.writes.length; i++)
      if (result.outcomes[i]?.version === FENCED) lost.push(result.writes[i]!);
    if (lost.length > 0) return this.#failed(lockLost(lost));
    // A kept lease frees only this process's queue: no promise to wait for.
    return this.#releaseAll();
  }

  /** The commit failed: give the leases up (or unlock), free this process's hold, rethrow. */
  async #failed(error: unknown): Promise<never> {
    try {
      if (this.#kept !== undefined) await this.#locker.kept.giveUp(this.refs, true);
      else if (this.#redisLocked)
        await this.#locker.unlock(this.refs, this.#token).catch(() => undefined);
    } finally {
      const released = this.#releaseAll();
      if (released !== undefined) await released;
    }
    throw error;
  }

  /** Write and release: the written keys' locks in their write's step, the others beside. */
  async #writeAndUnlock(
    writes: readonly TierWrite[],
  ): Promise<{ writes: TierWrite[]; outcomes: WriteOutcome[] }> {
    const written = new Set(writes.map((w) => w.ref.redisKey));
    const rest = this.refs.filter((ref) => !written.has(ref.redisKey));
    const [result] = await Promise.all([
      writes.length === 0
        ? { writes: [], outcomes: [] }
        : this.#writer.write(writes, this.#redisLocked ? { unlockToken: this.#token } : {}, this),
      this.#redisLocked ? this.#locker.unlock(rest, this.#token) : undefined,
    ]);
    return result;
  }

  /**
   * Write keeping the leases: fenced compare-and-sets against the kept copies, which then
   * become the written entries. Unwritten keys keep their lease and copy as they are.
   */
  #writeKeeping(
    writes: readonly TierWrite[],
    kept: readonly KeptLease[],
  ): Promise<{ writes: TierWrite[]; outcomes: WriteOutcome[] }> {
    if (writes.length === 0) return Promise.resolve({ writes: [], outcomes: [] });
    const sentAt = Date.now();
    const renew = this.#renews(kept, sentAt);
    return this.#writer.write(writes, this.#keepingOptions(renew), this).then((result) => {
      for (let i = 0; i < result.writes.length; i++)
        this.#keptWrote(kept, result.writes[i]!, result.outcomes[i]!, renew ? sentAt : undefined);
      return result;
    });
  }

  /** {@link #writeKeeping} and {@link #written} for the one write of a kept session. */
  #writeKeepingOne(write: TierWrite, kept: readonly KeptLease[]): Promise<void> {
    const sentAt = Date.now();
    const renew = this.#renews(kept, sentAt);
    return this.#writer.writeOne(write, this.#keepingOptions(renew), this).then(
      (outcome) => {
        if (outcome.version === FENCED) return this.#failed(lockLost([write]));
        this.#keptWrote(kept, write, outcome, renew ? sentAt : undefined);
        return this.#releaseAll();
      },
      (error: unknown) => this.#failed(error),
    );
  }

  /** The lease is renewed by the write once a third of it has passed (else left as it is). */
  #renews(kept: readonly KeptLease[], sentAt: number): boolean {
    for (const lease of kept) if (lease.validUntil - sentAt <= this.#leaseMs / 3) return true;
    return false;
  }

  #keepingOptions(renew: boolean): TierWriteOptions {
    return { unlockToken: this.#token, keepLeaseMs: renew ? this.#leaseMs : 0 };
  }

  /** A write under kept leases landed: its lease keeps the written entry as its copy. */
  #keptWrote(
    kept: readonly KeptLease[],
    write: TierWrite,
    outcome: WriteOutcome,
    renewedAt: number | undefined,
  ): void {
    if (!outcome.applied) return; // the commit fails and gives every lease up
    const { value, expiresAt } = write;
    const entry = value === null ? null : { value, version: outcome.version, expiresAt };
    this.#locker.kept.wrote(
      kept[this.#indexOf(write.ref)]!,
      entry,
      outcome.lock ?? 'not-held',
      renewedAt,
    );
  }

  /** Release every lock without writing (the work failed, or changed nothing). */
  async release(): Promise<void> {
    if (this.#done) return;
    this.#finish();
    try {
      // A kept lease stays kept: nothing was written, so its copy is still the stored value.
      if (this.#redisLocked && this.#kept === undefined)
        await this.#locker.unlock(this.refs, this.#token);
    } finally {
      // A kept lease frees only this process's queue: no promise to wait for.
      const released = this.#releaseAll();
      if (released !== undefined) await released;
    }
  }

  /** The version a held key had when it was read under the lock (`null`: absent); the store's writer compares with it. */
  versionRead(redisKey: string): number | null {
    for (let i = 0; i < this.refs.length; i++)
      if (this.refs[i]!.redisKey === redisKey) return this.#entries[i]?.version ?? null;
    return null;
  }

  #finish(): void {
    if (this.#done)
      throw hsError('HS_STORE_CLOSED', 'These locked entries were already committed or released.');
    this.#done = true;
  }

  /** Stop renewing (after the writes: a slow commit must not outlive the lease) and free the rest. */
  #releaseAll(): Promise<void> | void {
    if (this.#renewal !== undefined) this.#locker.untrack(this.#renewal);
    if (this.#kept !== undefined) for (const lease of this.#kept) this.#locker.kept.idle(lease);
    return this.#releaseLocal();
  }

  #indexOf(ref: KeyRef): number {
    const index = this.refs.findIndex((held) => held.redisKey === ref.redisKey);
    if (index < 0)
      throw hsError(
        'HS_KEY_INVALID',
        `Key "${ref.key}" is not among the locked keys; lock it first.`,
        { key: ref.key },
      );
    return index;
  }
}

/** The error of writes whose lock was not exclusive until they landed. */
function lockLost(lost: readonly TierWrite[]) {
  return hsError(
    'HS_LOCK_LOST',
    `The lock on ${lost.map((w) => `"${w.ref.key}"`).join(', ')} was not exclusive until the write (its lease ran out, Redis went away meanwhile and another process took the key, or a writer outside the locks changed the key while this process kept its lease): those changes were not written. Retry the work; raise leaseMs if it is slow.`,
    { keys: lost.map((w) => w.ref.key) },
  );
}
