import type { MessageBus } from '../bus/message-bus.ts';
import type { Family } from '../keyspace/family.ts';
import type { Keyspace } from '../keyspace/keyspace.ts';
import type { Logger } from '../logger.ts';
import type { L1Cache, L1Change } from './l1-cache.ts';

/**
 * Keeps the memory L1 of every instance in step over a {@link MessageBus}: keys this process
 * writes or deletes are announced on the channel `l1:<keyspace prefix>` (a JSON list of
 * `[family, key, version]`), other instances forget them and refuse older versions for a
 * while (a read in flight must not put the old value back), and a bus resync (messages may
 * have been lost) clears the whole L1.
 */
export class L1BusLink {
  readonly #l1: L1Cache;
  readonly #bus: MessageBus;
  readonly #keyspace: Keyspace;
  readonly #logger: Logger;
  readonly #channel: string;
  readonly #stops: (() => void)[];

  constructor(l1: L1Cache, bus: MessageBus, keyspace: Keyspace, logger: Logger) {
    this.#l1 = l1;
    this.#bus = bus;
    this.#keyspace = keyspace;
    this.#logger = logger;
    this.#channel = `l1:${keyspace.prefix}`;
    this.#stops = [
      bus.subscribe(this.#channel, (payload, origin) => this.#receive(payload, origin)),
      bus.onResync(() => l1.clear()),
      l1.onChanged((refs) => this.#announce(refs)),
    ];
  }

  /** Stop listening (the bus belongs to its owner and stays open). */
  close(): void {
    for (const stop of this.#stops) stop();
  }

  #announce(changes: readonly L1Change[]): void {
    const payload = JSON.stringify(changes.map((c) => [c.ref.family.name, c.ref.key, c.version]));
    // Never fails the write: a bus that cannot deliver reports it, and others resync.
    this.#bus.publish(this.#channel, payload).catch((error: unknown) => {
      this.#logger.warn({ err: error }, 'L1 invalidation could not be published');
    });
  }

  #receive(payload: string, origin: string): void {
    if (origin === this.#bus.instanceId) return;
    let pairs: unknown;
    try {
      pairs = JSON.parse(payload);
    } catch {
      pairs = undefined;
    }
    if (!Array.isArray(pairs)) {
      this.#logger.warn({ channel: this.#channel }, 'ignored a malformed L1 invalidation');
      return;
    }
    const families = new Map(this.#keyspace.families().map((f) => [f.name, f]));
    for (const pair of pairs) this.#forget(families, pair);
  }

  #forget(families: Map<string, Family>, pair: unknown): void {
    if (!Array.isArray(pair) || typeof pair[0] !== 'string' || typeof pair[1] !== 'string') return;
    const family = families.get(pair[0]);
    if (family?.l1 === undefined || !family.ownsKey(pair[1])) return;
    const ref = family.keyFromStorage(pair[1]);
    if (Number.isSafeInteger(pair[2])) this.#l1.forgetBelow(ref, pair[2]);
    else this.#l1.forget(ref);
  }
}
