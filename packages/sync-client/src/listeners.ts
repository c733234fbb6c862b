/** A set of callbacks of one kind; a throwing callback does not stop the others. */
export class Listeners<A extends unknown[]> {
  readonly #set = new Set<(...args: A) => void>();

  /** Add a callback; returns the function that removes it. */
  add(listener: (...args: A) => void): () => void {
    this.#set.add(listener);
    return () => {
      this.#set.delete(listener);
    };
  }

  /** Call every callback; errors go to `onError`. */
  emit(onError: (error: unknown) => void, ...args: A): void {
    for (const listener of [...this.#set]) {
      try {
        listener(...args);
      } catch (error) {
        onError(error);
      }
    }
  }

  /** Forget every callback. */
  clear(): void {
    this.#set.clear();
  }
}
