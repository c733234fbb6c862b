/** A write script's reply: applied (1, 0; -2 for a failed write of a batch), version or error, lock state. */
export type WriteReply = [number, string, number];

interface Pending {
  readonly kind: 'w' | 'j';
  readonly keys: readonly string[];
  readonly args: readonly string[];
  readonly resolve: (reply: WriteReply) => void;
  readonly reject: (error: unknown) => void;
}

/** Most writes in one script call: a bigger batch would hold Redis up for too long. */
const MAX_BATCH = 100;

/**
 * Kept-lease writes (see `TierWriteOptions.keepLeaseMs`) issued in the same tick, sent as one
 * `BATCH_WRITE_SCRIPT` call per hash tag: every call touches one Cluster slot, and Redis runs
 * one script where it would run one per update.
 */
export class KeptWriteBatch {
  readonly #send: (keys: string[], args: string[]) => Promise<WriteReply[]>;
  #pending = new Map<string, Pending[]>();
  #scheduled = false;

  constructor(send: (keys: string[], args: string[]) => Promise<WriteReply[]>) {
    this.#send = send;
  }

  /** Queue one write (`kind` 'w' plain, 'j' journaled) of hash tag `tag`; resolves with its reply. */
  add(
    tag: string,
    kind: 'w' | 'j',
    keys: readonly string[],
    args: readonly string[],
  ): Promise<WriteReply> {
    return new Promise((resolve, reject) => {
      const group = this.#pending.get(tag);
      const pending = { kind, keys, args, resolve, reject };
      if (group === undefined) this.#pending.set(tag, [pending]);
      else group.push(pending);
      if (this.#scheduled) return;
      this.#scheduled = true;
      // After the current tick: every update that finished on the same Redis reply joins.
      process.nextTick(() => this.#flush());
    });
  }

  #flush(): void {
    this.#scheduled = false;
    const groups = this.#pending;
    this.#pending = new Map();
    for (const group of groups.values())
      for (let i = 0; i < group.length; i += MAX_BATCH)
        this.#sendGroup(group.slice(i, i + MAX_BATCH));
  }

  #sendGroup(group: readonly Pending[]): void {
    const keys: string[] = [];
    const args: string[] = [String(group.length)];
    for (const write of group) {
      keys.push(...write.keys);
      args.push(write.kind, String(write.keys.length), String(write.args.length), ...write.args);
    }
    this.#send(keys, args).then(
      (replies) =>
        group.forEach((write, i) => {
          const reply = replies[i];
          if (reply === undefined || reply[0] === -2)
            write.reject(new Error(reply?.[1] ?? 'no reply'));
          else write.resolve(reply);
        }),
      (error: unknown) => {
        for (const write of group) write.reject(error);
      },
    );
  }
}
