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
  readonly #tails = new Map<string, Promise<void>>();

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
    let release!: () => void;
    const tail = new Promise<void>((resolve) => {
      release = resolve;
    });
    this.#tails.set(key, tail);
    let released = false;
    const releaseOnce = () => {
      if (released) return;
      released = true;
      release();
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    };
    if (previous !== undefined) {
      if (timeoutMs === undefined) {
        await previous;
      } else if (!(await settlesWithin(previous, timeoutMs))) {
        // Pass the turn on once the holder before us is done, so later waiters are not stuck.
        void previous.then(releaseOnce);
        throw onTimeout?.() ?? new Error(`timed out waiting for "${key}"`);
      }
    }
    return releaseOnce;
  }

  /**
   * Hold the key at once when nobody holds or waits for it; `undefined` otherwise (then
   * {@link acquire} it). Never waits, so it cannot jump the queue.
   */
  tryAcquire(key: string): (() => void) | undefined {
    if (this.#tails.has(key)) return undefined;
    let release!: () => void;
    const tail = new Promise<void>((resolve) => {
      release = resolve;
    });
    this.#tails.set(key, tail);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      release();
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    };
  }

  /** Keys with work running or waiting (for tests and health). */
  get size(): number {
    return this.#tails.size;
  }
}

function settlesWithin(promise: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), Math.max(0, ms));
  });
  return Promise.race([promise.then(() => true), timeout]).finally(() => clearTimeout(timer));
}
