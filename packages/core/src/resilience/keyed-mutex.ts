/**
 * Serializes async work per key inside one process, while different keys run in parallel.
 * Waiters run in arrival order. Memory is released as soon as a key has no waiter.
 *
 * @example
 * ```ts
 * const mutex = new KeyedMutex();
 * await mutex.run('user:42', () => incrementBalance());
 * ```
 */
export class KeyedMutex {
  /** The last holder or waiter of each key; the next one waits for it. */
  readonly #tails = new Map<string, Turn>();

  /** Run `work` after every earlier holder of the key has released it. */
  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const release = await this.acquire(key);
    try {
      return await work();
    } finally {
      release();
    }
  }

  /**
   * Wait for the key, then hold it until the returned function is called. With `timeoutMs`,
   * give up after that long: the returned promise rejects with `onTimeout()`, and this waiter
   * steps out of the queue without blocking the ones behind it.
   */
  async acquire(key: string, timeoutMs?: number, onTimeout?: () => Error): Promise<() => void> {
    const previous = this.#tails.get(key);
    const turn = new Turn();
    this.#tails.set(key, turn);
    const releaseOnce = () => this.#release(key, turn);
    if (previous !== undefined) {
      const done = previous.done();
      if (timeoutMs === undefined) {
        await done;
      } else if (!(await settlesWithin(done, timeoutMs))) {
        // Pass the turn on once the holder before us is done, so later waiters are not stuck.
        void done.then(releaseOnce);
        throw onTimeout?.() ?? new Error(`timed out waiting for "${key}"`);
      }
    }
    return releaseOnce;
  }

  /**
   * Hold the key at once when nobody holds or waits for it; `undefined` otherwise (then
   * {@link acquire} it). Never waits, so it cannot jump the queue. No promise is made unless
   * someone comes to wait: this is the hot path of a kept session key.
   */
  tryAcquire(key: string): (() => void) | undefined {
    if (this.#tails.has(key)) return undefined;
    const turn = new Turn();
    this.#tails.set(key, turn);
    return () => this.#release(key, turn);
  }

  /** Keys with work running or waiting (for tests and health). */
  get size(): number {
    return this.#tails.size;
  }

  #release(key: string, turn: Turn): void {
    if (!turn.finish()) return;
    if (this.#tails.get(key) === turn) this.#tails.delete(key);
  }
}

/** One holder's turn of a key: the next in line waits for it to finish. */
class Turn {
  #finished = false;
  #done: Promise<void> | undefined;
  #resolve: (() => void) | undefined;

  /** Settles once the turn is finished (made on first call: most turns have no waiter). */
  done(): Promise<void> {
    if (this.#finished) return Promise.resolve();
    this.#done ??= new Promise<void>((resolve) => {
      this.#resolve = resolve;
    });
    return this.#done;
  }

  /** Finish the turn; false when it already was. */
  finish(): boolean {
    if (this.#finished) return false;
    this.#finished = true;
    this.#resolve?.();
    return true;
  }
}

function settlesWithin(promise: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), Math.max(0, ms));
  });
  return Promise.race([promise.then(() => true), timeout]).finally(() => clearTimeout(timer));
}
