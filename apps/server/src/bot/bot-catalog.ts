import type { SyncService } from '@hybridstate/sync';
import type { Button } from '../services/buttons.ts';
import type { EntityServiceOf } from '../services/entity-service.ts';
import type { Scenario } from '../services/scenarios.ts';

/** How long the bot keeps its keyboard and scenarios without an event (seed 002: 60 s). */
export const BOT_CACHE_TTL_MS = 60_000;

const KEYBOARD = 'buttons:main_keyboard';
const SCENARIOS = 'scenarios:active';

/**
 * Seed 002's BotService cache: the active buttons and scenarios, kept in the process for 60 s
 * and dropped on every instance as soon as a `buttons.*` or `scenarios.*` event arrives, so
 * an admin's change shows on the next message.
 */
export class BotCatalog {
  readonly #sync: SyncService;
  readonly #buttons: EntityServiceOf<Button>;
  readonly #scenarios: EntityServiceOf<Scenario>;
  readonly #stop: (() => void)[];
  /** Bumped on every invalidation: a load that started before one is not cached. */
  #generation = 0;

  constructor(
    sync: SyncService,
    buttons: EntityServiceOf<Button>,
    scenarios: EntityServiceOf<Scenario>,
  ) {
    this.#sync = sync;
    this.#buttons = buttons;
    this.#scenarios = scenarios;
    this.#stop = [
      sync.on('buttons.*', () => this.#drop(KEYBOARD)),
      sync.on('scenarios.*', () => this.#drop(SCENARIOS)),
      sync.onResync(() => {
        this.#drop(KEYBOARD);
        this.#drop(SCENARIOS);
      }),
    ];
  }

  /** The active buttons, by position (cached). */
  async buttons(): Promise<Button[]> {
    return this.#cached(KEYBOARD, () => this.#buttons.list(true));
  }

  /** The active scenarios (cached). */
  async scenarios(): Promise<Scenario[]> {
    return this.#cached(SCENARIOS, () => this.#scenarios.list(true));
  }

  /** An active scenario by id, or undefined. */
  async scenario(id: number): Promise<Scenario | undefined> {
    return (await this.scenarios()).find((s) => s.id === id);
  }

  /** Whether the keyboard is cached now (for tests and logs). */
  get keyboardCached(): boolean {
    return this.#sync.getCache(KEYBOARD) !== undefined;
  }

  /** Stop listening to events. */
  close(): void {
    for (const stop of this.#stop) stop();
  }

  async #cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    const hit = this.#sync.getCache<T>(key);
    if (hit !== undefined) return hit;
    const generation = this.#generation;
    const value = await load();
    if (generation === this.#generation) this.#sync.setCache(key, value, BOT_CACHE_TTL_MS);
    return value;
  }

  #drop(key: string): void {
    this.#generation++;
    void this.#sync.invalidateCache(key);
  }
}
