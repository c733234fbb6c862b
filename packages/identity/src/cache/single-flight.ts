/**
 * In-process single flight: concurrent calls for one key share one running promise, so a
 * hot key that expires runs its loader once per process.
 */
export class SingleFlight {
  readonly #running = new Map<string, Promise<unknown>>();

  /** Run `work` for `key`, or join the run already in flight. */
  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const running = this.#running.get(key);
    if (running !== undefined) return running as Promise<T>;
    const started = work().finally(() => this.#running.delete(key));
    this.#running.set(key, started);
    return started;
  }
}
