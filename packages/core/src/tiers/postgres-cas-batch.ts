import { TickBatcher } from './tick-batcher.ts';
import type { TierWrite, WriteOutcome } from './tier.ts';

/**
 * A compare-and-set waiting for its batch: the entry and the version it must find (`null`:
 * the key must be absent).
 */
export interface PendingCas {
  readonly entry: Omit<TierWrite, 'version'>;
  readonly expected: number | null;
}

interface Waiter extends PendingCas {
  readonly resolve: (outcome: WriteOutcome) => void;
  readonly reject: (error: unknown) => void;
}

/** Most compare-and-sets in one statement (see {@link TickBatcher}). */
const CHUNK = 32;

/**
 * Compare-and-sets issued in the same tick (the commits of many durable sessions, first
 * writes of new keys among them), sent as one statement: one transaction commit, so one WAL
 * flush and one round trip for all of them, where each would otherwise pay its own. A key
 * appears once per batch (a second compare-and-set of it goes in the next one). When a batch
 * fails, each of its writes is tried again on its own: one bad value (or a deadlock, or one dropped connection) fails
 * only its own write, and the circuit breaker counts each write's failure as before, not one
 * per write of a batch that failed once. A retry cannot apply a write twice: it is a
 * compare-and-set, refused if the batch did commit before its reply was lost.
 */
export class PostgresCasBatch {
  readonly #many: (batch: readonly PendingCas[]) => Promise<(number | undefined)[]>;
  readonly #one: (item: PendingCas) => Promise<WriteOutcome>;
  readonly #batcher = new TickBatcher<Waiter>((batch) => this.#send(batch), CHUNK);

  /**
   * `many` writes a batch and returns each write's new version (`undefined`: not applied);
   * `one` is the single compare-and-set used when a batch fails.
   */
  constructor(
    many: (batch: readonly PendingCas[]) => Promise<(number | undefined)[]>,
    one: (item: PendingCas) => Promise<WriteOutcome>,
  ) {
    this.#many = many;
    this.#one = one;
  }

  /** Queue one compare-and-set of row `id` (namespace and key); resolves with its outcome. */
  add(
    id: string,
    entry: Omit<TierWrite, 'version'>,
    expected: number | null,
  ): Promise<WriteOutcome> {
    return new Promise((resolve, reject) =>
      this.#batcher.add('', { entry, expected, resolve, reject }, id),
    );
  }

  #send(batch: readonly Waiter[]): void {
    if (batch.length === 1) {
      const [only] = batch as [Waiter];
      this.#one(only).then(only.resolve, only.reject);
      return;
    }
    this.#many(batch).then(
      (versions) =>
        batch.forEach((write, i) => {
          const version = versions[i];
          write.resolve(
            version === undefined ? { applied: false, version: 0 } : { applied: true, version },
          );
        }),
      () => {
        for (const write of batch) this.#one(write).then(write.resolve, write.reject);
      },
    );
  }
}
