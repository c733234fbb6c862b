/**
 * At most `permits` holders at once; the others wait in arrival order, each for at most its
 * timeout.
 *
 * @example
 * ```ts
 * const slots = new Semaphore(4);
 * const release = await slots.acquire(1000, () => new Error('busy'));
 * try { await work(); } finally { release(); }
 * ```
 */
export class Semaphore {
  #free: number;
  readonly #waiting: { grant: () => void; timer: NodeJS.Timeout }[] = [];

  constructor(permits: number) {
    this.#free = permits;
  }

  /** Wait for a permit; rejects with `onTimeout()` after `timeoutMs`. */
  acquire(timeoutMs: number, onTimeout: () => Error): Promise<() => void> {
    if (this.#free > 0) {
      this.#free--;
      return Promise.resolve(this.#releaser());
    }
    return new Promise((resolve, reject) => {
      const waiter = {
        grant: () => {
          clearTimeout(waiter.timer);
          resolve(this.#releaser());
        },
        timer: setTimeout(
          () => {
            this.#waiting.splice(this.#waiting.indexOf(waiter), 1);
            reject(onTimeout());
          },
          Math.max(0, timeoutMs),
        ),
      };
      this.#waiting.push(waiter);
    });
  }

  #releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#waiting.shift();
      if (next === undefined) this.#free++;
      else next.grant();
    };
  }
}
