/**
 * A token bucket: `burst` frames at once, refilled at `perSecond`. One per socket.
 */
export class RateLimiter {
  readonly #burst: number;
  readonly #perMs: number;
  #tokens: number;
  #last = Date.now();

  constructor(burst: number, perSecond: number) {
    this.#burst = burst;
    this.#perMs = perSecond / 1000;
    this.#tokens = burst;
  }

  /** Take one token; `false` when the bucket is empty. */
  take(): boolean {
    const now = Date.now();
    this.#tokens = Math.min(this.#burst, this.#tokens + (now - this.#last) * this.#perMs);
    this.#last = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}
