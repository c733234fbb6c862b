import type { KeyRef } from '../keyspace/family.ts';
import { hashTagOf } from './lock-keys.ts';
import { toTierError } from './redis-errors.ts';
import { TickBatcher } from './tick-batcher.ts';
import type { KeptLock, WriteOutcome } from './tier.ts';

/** A write script's reply: applied (1, 0; -2 for a failed write of a batch), version or error, lock state. */
export type WriteReply = [number, string, number];

const KEPT_LOCK: readonly KeptLock[] = ['kept', 'given-up', 'not-held'];

/** One queued write; it settles its caller's promise itself (no wrapper per layer). */
class Pending {
  readonly kind: 'w' | 'j';
  readonly keys: readonly string[];
  readonly args: readonly string[];
  readonly ref: KeyRef;
  resolve!: (outcome: WriteOutcome) => void;
  reject!: (error: unknown) => void;

  constructor(kind: 'w' | 'j', keys: readonly string[], args: readonly string[], ref: KeyRef) {
    this.kind = kind;
    this.keys = keys;
    this.args = args;
    this.ref = ref;
  }

  /** Resolve with a {@link WriteReply}'s three values. */
  settle(applied: number | string, version: number | string, lock: number | string): void {
    this.resolve({
      applied: applied === 1,
      version: Number(version),
      lock: KEPT_LOCK[lock as number] ?? 'not-held',
    });
  }

  fail(error: unknown): void {
    this.reject(toTierError(error, this.ref));
  }
}

/**
 * Most writes in one script call (see {@link TickBatcher}). One Redis reply can wake dozens
 * of updates whose commits all land in one tick; sent as one call, Node and Redis took turns
 * (Node prepared every commit while Redis idled, then Redis ran one long script while Node
 * waited). Chunks of 16 keep both busy: measured 2026-11-28 on 64 concurrent users, 44k ->
 * 59-65k updates/s (8: 55-60k, 32: 58-65k).
 */
const CHUNK = 16;

/**
 * The send of one script call: the writes' keys, one after another, and the writes as JSON.
 * It resolves with the writes' {@link WriteReply} triples one after another in one array.
 */
export type SendWrites = (keys: string[], writes: string) => Promise<(number | string)[]>;

/** The send of a lone write, through its own script (no JSON to encode and decode). */
export type SendWrite = (
  kind: 'w' | 'j',
  keys: readonly string[],
  args: readonly string[],
) => Promise<WriteReply>;

/**
 * Kept-lease writes (see `TierWriteOptions.keepLeaseMs`) issued in the same tick, sent as one
 * `BATCH_WRITE_SCRIPT` call per {@link CHUNK} writes: Redis runs one script where it would run
 * one per update. On a Cluster a call holds one hash tag's writes (one slot); on a single
 * Redis the writes of every hash tag share calls.
 */
export class KeptWriteBatch {
  readonly #send: SendWrites;
  readonly #sendOne: SendWrite;
  readonly #perTag: boolean;
  readonly #batcher = new TickBatcher<Pending>((group) => this.#sendGroup(group), CHUNK);

  /**
   * `send` runs a batch, `sendOne` a write alone (a tick with one write: a sequential update
   * saves the batch's JSON and ~5 us of Redis); `perTag`: group by hash tag (a Redis Cluster),
   * else every write may share a call.
   */
  constructor(send: SendWrites, sendOne: SendWrite, perTag: boolean) {
    this.#send = send;
    this.#sendOne = sendOne;
    this.#perTag = perTag;
  }

  /**
   * Queue one write of `ref` (`kind` 'w' plain, 'j' journaled); resolves with its outcome, or
   * rejects with a typed error naming `ref`'s key (see `toTierError`).
   */
  add(
    ref: KeyRef,
    kind: 'w' | 'j',
    keys: readonly string[],
    args: readonly string[],
  ): Promise<WriteOutcome> {
    const write = new Pending(kind, keys, args, ref);
    const settled = new Promise<WriteOutcome>((resolve, reject) => {
      write.resolve = resolve;
      write.reject = reject;
    });
    this.#batcher.add(this.#perTag ? hashTagOf(ref) : '', write);
    return settled;
  }

  #sendGroup(group: readonly Pending[]): void {
    if (group.length === 1) {
      const [only] = group as [Pending];
      this.#sendOne(only.kind, only.keys, only.args).then(
        (reply) => only.settle(reply[0], reply[1], reply[2]),
        (error: unknown) => only.fail(error),
      );
      return;
    }
    const keys: string[] = [];
    const writes: [string, number, readonly string[]][] = [];
    for (const write of group) {
      for (const key of write.keys) keys.push(key);
      writes.push([write.kind, write.keys.length, write.args]);
    }
    let sent: Promise<(number | string)[]>;
    try {
      // Throws only for a group too large to encode (values near V8's string limit).
      sent = this.#send(keys, JSON.stringify(writes));
    } catch (error) {
      for (const write of group) write.fail(error);
      return;
    }
    sent.then(
      (replies) => {
        for (let i = 0, at = 0; i < group.length; i++, at += 3) {
          if (replies.length < at + 3 || replies[at] === -2)
            group[i]!.fail(new Error(String(replies[at + 1] ?? 'no reply')));
          else group[i]!.settle(replies[at]!, replies[at + 1]!, replies[at + 2]!);
        }
      },
      (error: unknown) => {
        for (const write of group) write.fail(error);
      },
    );
  }
}
