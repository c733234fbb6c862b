import type { Logger } from '@hybridstate/core';
import type { SyncEventMap, SyncService } from '@hybridstate/sync';

/**
 * Publish sync events after a commit. An event is a hint (readers refetch), so a refused or
 * undeliverable event is logged and never fails the change that already happened.
 */
export class EventPublisher {
  readonly #sync: SyncService;
  readonly #logger: Logger;

  constructor(sync: SyncService, logger: Logger) {
    this.#sync = sync;
    this.#logger = logger;
  }

  /** Publish `type` with `data`; never rejects. */
  async publish<K extends keyof SyncEventMap & string>(
    type: K,
    data: SyncEventMap[K],
  ): Promise<void> {
    try {
      await this.#sync.publish(type, data);
    } catch (error) {
      this.#logger.warn({ err: error, event: type }, `could not publish ${type}`);
    }
  }
}
