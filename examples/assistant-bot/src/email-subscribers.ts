import type { TieredStore } from '@hybridstate/core';
import type { AssistantFamilies } from './assistant-keyspace.ts';

/**
 * `email_subscribers`: the seed's JSON array of user ids. Changed with `update`, so two users
 * subscribing at the same moment are both kept (a GET + SET of the array would drop one).
 */
export class EmailSubscribers {
  readonly #store: TieredStore;
  readonly #family: AssistantFamilies['subscribers'];

  constructor(store: TieredStore, family: AssistantFamilies['subscribers']) {
    this.#store = store;
    this.#family = family;
  }

  /** Add a user; returns false when they were already subscribed. */
  async add(userId: number): Promise<boolean> {
    let added = false;
    await this.#store.update(this.#family.key({}), (list = []) => {
      added = !list.includes(userId);
      return added ? [...list, userId] : undefined;
    });
    return added;
  }

  /** Remove a user; returns false when they were not subscribed. */
  async remove(userId: number): Promise<boolean> {
    let removed = false;
    await this.#store.update(this.#family.key({}), (list = []) => {
      removed = list.includes(userId);
      return removed ? list.filter((id) => id !== userId) : undefined;
    });
    return removed;
  }

  /** Every subscribed user id. */
  async list(): Promise<number[]> {
    return (await this.#store.get(this.#family.key({}))) ?? [];
  }
}
