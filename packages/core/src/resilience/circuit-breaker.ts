import { type HybridStateError, hsError, isHybridStateError } from '../errors.ts';
import { callSafely } from './call-safely.ts';

/** States of a {@link CircuitBreaker}. */
/**
 * `closed`: calls run. `open`: calls fail at once. `half-open`: the probe is running.
 * `recovering`: the probe answered and `onRecover` runs; calls run, but readers should not
 * trust the tier's contents yet (see {@link CircuitBreaker.isReadable}).
 */
export type CircuitState = 'closed' | 'open' | 'half-open' | 'recovering';

/** Options of {@link CircuitBreaker}. */
export interface CircuitBreakerOptions {
  /** Tier name used in errors and health. */
  readonly name: string;
  /** Consecutive unavailability errors that open the circuit. @default 2 */
  readonly failureThreshold?: number;
  /** Wait before the first half-open probe; doubles per failed probe up to `maxOpenMs`. @default 250 */
  readonly openMs?: number;
  /** Longest wait between probes: bounds how long a recovered tier goes unused. @default 1000 */
  readonly maxOpenMs?: number;
  /** The probe (e.g. PING). Resolves when the tier answers. */
  readonly probe: () => Promise<unknown>;
  /** Runs after a successful probe, before the circuit closes (e.g. purge stale copies). */
  readonly onRecover?: () => Promise<void>;
  /** Told about every state change. */
  readonly onStateChange?: (state: CircuitState, error?: unknown) => void;
}

/** Defaults of {@link CircuitBreakerOptions}. */
export const CIRCUIT_BREAKER_DEFAULTS = {
  failureThreshold: 2,
  openMs: 250,
  maxOpenMs: 1000,
} as const;

/**
 * Fails calls fast while a tier is down. `closed`: calls run. After `failureThreshold`
 * consecutive `HS_TIER_UNAVAILABLE` errors it opens: calls throw at once. A background probe
 * then runs (half-open); on success the circuit is `recovering` while `onRecover` runs, then
 * closes; on failure it stays open and probes again with a doubled delay. Writes are let
 * through while recovering, so that a recovery step that purges stale data is not chased
 * by new staleness. Only unavailability counts as failure: a rejected value says nothing
 * about the tier's health.
 */
export class CircuitBreaker {
  readonly name: string;
  #state: CircuitState = 'closed';
  #failures = 0;
  #delayMs: number;
  #timer: NodeJS.Timeout | undefined;
  #lastError: unknown;
  #openedAt = 0;
  #generation = 0;
  readonly #options: Required<Omit<CircuitBreakerOptions, 'onRecover' | 'onStateChange'>> &
    CircuitBreakerOptions;

  constructor(options: CircuitBreakerOptions) {
    this.#options = { ...CIRCUIT_BREAKER_DEFAULTS, ...options };
    this.name = options.name;
    this.#delayMs = this.#options.openMs;
  }

  /** Current state. */
  get state(): CircuitState {
    return this.#state;
  }

  /** True when calls may run (closed, or recovering). */
  get isWritable(): boolean {
    return this.#state === 'closed' || this.#state === 'recovering';
  }

  /** True when the tier's contents may be read (closed: recovery finished). */
  get isReadable(): boolean {
    return this.#state === 'closed';
  }

  /** The error that last opened the circuit, and when. */
  get lastFailure(): { error: unknown; at: number } | undefined {
    return this.#openedAt === 0 ? undefined : { error: this.#lastError, at: this.#openedAt };
  }

  /** Run `call` through the breaker. Throws `HS_TIER_UNAVAILABLE` at once while open. */
  run<T>(call: () => Promise<T>): Promise<T> {
    return this.runWith(call, undefined);
  }

  /**
   * {@link run} of `call(arg)`: callers on a hot path pass their argument, not a closure. With
   * `recover`, a failure (counted first, as always) is handed to it instead of rejecting: a
   * caller with a fallback saves chaining its own step on every call.
   */
  runWith<A, T>(
    call: (arg: A) => Promise<T>,
    arg: A,
    recover?: (error: unknown) => Promise<T>,
  ): Promise<T> {
    if (!this.isWritable) {
      const error = this.#openError();
      return recover === undefined ? Promise.reject(error) : callSafely(recover, error);
    }
    return callSafely(call, arg).then(
      this.#succeeded as (result: T) => T,
      recover === undefined
        ? this.#failed
        : (error: unknown) => {
            this.#counted(error);
            return recover(error);
          },
    );
  }

  readonly #succeeded = (result: unknown): unknown => {
    this.#failures = 0;
    return result;
  };

  readonly #failed = (error: unknown): never => {
    this.#counted(error);
    throw error;
  };

  /** An unavailable tier counts towards opening the circuit; other errors are the caller's. */
  #counted(error: unknown): void {
    if (isHybridStateError(error, 'HS_TIER_UNAVAILABLE')) this.recordFailure(error);
  }

  /** Count a failure seen outside {@link run}; opens the circuit at the threshold. */
  recordFailure(error: unknown): void {
    this.#lastError = error;
    if (!this.isWritable || ++this.#failures < this.#options.failureThreshold) return;
    this.#open(error);
  }

  /**
   * Open at once, whatever the count: for a failed write whose loss would leave a stale copy
   * behind (a revocation, an invalidation), so that `onRecover` purges before the tier is
   * read again.
   */
  trip(error: unknown): void {
    this.#lastError = error;
    if (this.isWritable) this.#open(error);
  }

  /** Stop probing (on shutdown). */
  close(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #open(error: unknown): void {
    this.#state = 'open';
    this.#openedAt = Date.now();
    this.#options.onStateChange?.('open', error);
    this.#schedule();
  }

  #schedule(): void {
    this.#timer = setTimeout(() => void this.#probe(), this.#delayMs);
    this.#timer.unref();
  }

  async #probe(): Promise<void> {
    // A probe that reopened and was overtaken by a newer one must not close the circuit.
    const generation = ++this.#generation;
    this.#state = 'half-open';
    this.#options.onStateChange?.('half-open');
    try {
      await this.#options.probe();
      this.#state = 'recovering';
      this.#failures = 0;
      this.#options.onStateChange?.('recovering');
      await this.#options.onRecover?.();
      // A failure during recovery opened the circuit again (or a newer probe owns it): stay.
      if (this.#state !== 'recovering' || generation !== this.#generation) return;
      this.#state = 'closed';
      this.#failures = 0;
      this.#delayMs = this.#options.openMs;
      this.#options.onStateChange?.('closed');
    } catch (error) {
      this.#lastError = error;
      this.#state = 'open';
      this.#delayMs = Math.min(this.#delayMs * 2, this.#options.maxOpenMs);
      this.#options.onStateChange?.('open', error);
      if (this.#timer !== undefined) this.#schedule();
    }
  }

  #openError(): HybridStateError {
    const cause = this.#lastError instanceof Error ? this.#lastError.message : 'unreachable';
    return hsError(
      'HS_TIER_UNAVAILABLE',
      `${this.name} is unavailable (circuit ${this.#state} since ${new Date(this.#openedAt).toISOString()}: ${cause}).`,
      { tier: this.name, circuit: this.#state },
      this.#lastError,
    );
  }
}
