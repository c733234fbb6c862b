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

  /** Wait for the key, then hold it until the returned function is called. */
  async acquire(key: string): Promise<() => void> {
    const previous = this.#tails.get(key);
    let release!: () => void;
    const tail = new Promise<void>((resolve) => {
      release = resolve;
    });
    this.#tails.set(key, tail);
    if (previous !== undefined) await previous;
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
