/**
 * Collects the items of one tick into groups and hands each group to `send`: at once when a
 * group reaches `chunk` items, else right after the current tick (every caller woken by the
 * same reply joins). Sending full chunks at once keeps the server working on one while the
 * next is prepared, instead of the two taking turns. An item whose `distinct` id is already
 * in its group sends that group first, so a group never holds two items with one id.
 */
export class TickBatcher<T> {
  readonly #send: (items: T[]) => void;
  readonly #chunk: number;
  #groups = new Map<string, { items: T[]; ids: Set<string> | undefined }>();
  #scheduled = false;

  constructor(send: (items: T[]) => void, chunk: number) {
    this.#send = send;
    this.#chunk = chunk;
  }

  add(group: string, item: T, distinct?: string): void {
    let pending = this.#groups.get(group);
    if (pending !== undefined && distinct !== undefined && pending.ids?.has(distinct) === true) {
      this.#sendGroup(group, pending.items);
      pending = undefined;
    }
    if (pending === undefined) {
      pending = { items: [], ids: distinct === undefined ? undefined : new Set() };
      this.#groups.set(group, pending);
    }
    pending.items.push(item);
    if (distinct !== undefined) pending.ids?.add(distinct);
    if (pending.items.length >= this.#chunk) this.#sendGroup(group, pending.items);
    else if (!this.#scheduled) {
      this.#scheduled = true;
      process.nextTick(() => this.#flush());
    }
  }

  #sendGroup(group: string, items: T[]): void {
    this.#groups.delete(group);
    this.#send(items);
  }

  #flush(): void {
    this.#scheduled = false;
    const groups = this.#groups;
    this.#groups = new Map();
    for (const { items } of groups.values()) this.#send(items);
  }
}
