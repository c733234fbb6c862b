import { isHybridStateError } from '../errors.ts';
import type { ResolvedStoreOptions } from './store-options.ts';
import type { StoreRuntime } from './store-runtime.ts';

/** What background maintenance last did, for health output. */
export interface MaintenanceStatus {
  readonly lastSweepAt: number | null;
  readonly sweptRows: number;
  readonly lastError: string | null;
}

/**
 * Start-up and background work: migrate PostgreSQL, purge stale cache copies, and every
 * `sweepIntervalMs` delete expired rows and retry any pending purge.
 */
export class Maintenance {
  readonly #options: ResolvedStoreOptions;
  readonly #runtime: StoreRuntime;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #started: Promise<void> | undefined;
  #status: MaintenanceStatus = { lastSweepAt: null, sweptRows: 0, lastError: null };

  constructor(options: ResolvedStoreOptions, runtime: StoreRuntime) {
    this.#options = options;
    this.#runtime = runtime;
  }

  /** Last results, for health. */
  get status(): MaintenanceStatus {
    return this.#status;
  }

  /** Idempotent: migrate, purge, schedule the sweeper. */
  start(): Promise<void> {
    this.#started ??= this.#start();
    return this.#started;
  }

  /** Stop the sweeper and wait for a run in progress. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }

  /** One sweep now: expired rows, then stale cache copies. */
  sweep(): Promise<void> {
    this.#running ??= this.#sweep().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async #start(): Promise<void> {
    const pg = this.#options.postgres;
    if (pg !== undefined) {
      await pg.migrate();
      if (this.#runtime.cache.isUp)
        await this.#runtime.purgeStale().catch((error: unknown) => this.#fail(error));
    }
    if (this.#options.sweepIntervalMs > 0) {
      this.#timer = setInterval(() => void this.sweep(), this.#options.sweepIntervalMs);
      this.#timer.unref();
    }
  }

  async #sweep(): Promise<void> {
    const pg = this.#runtime.postgres;
    if (pg === undefined || !pg.isUp) return;
    try {
      let swept = 0;
      for (;;) {
        const n = await pg.call((tier) => tier.sweepExpired(1000));
        swept += n;
        if (n < 1000) break;
      }
      if (this.#runtime.cache.isUp) await this.#runtime.purgeStale();
      this.#status = { lastSweepAt: Date.now(), sweptRows: swept, lastError: null };
    } catch (error) {
      this.#fail(error);
    }
  }

  #fail(error: unknown): void {
    this.#status = {
      ...this.#status,
      lastError: error instanceof Error ? error.message : String(error),
    };
    const level = isHybridStateError(error, 'HS_TIER_UNAVAILABLE') ? 'warn' : 'error';
    this.#options.logger[level](
      { err: error },
      'background maintenance failed; it will retry at the next interval',
    );
  }
}
