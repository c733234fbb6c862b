/** What the write-behind flusher reports (health, metrics, the CLI). */
export interface WriteBehindStatus {
  /** Journal entries not yet in PostgreSQL, across shards. */
  readonly pending: number;
  /** Age of the oldest unflushed entry, ms; `null` when nothing is pending. */
  readonly oldestPendingAgeMs: number | null;
  readonly lastFlushAt: number | null;
  /** Entries written by the last flush that wrote any. */
  readonly lastFlushRows: number;
  readonly lastFlushMs: number;
  /** Rows per second of the last flush that wrote any. */
  readonly rowsPerSecond: number;
  /** Rows written since start; superseded ones were older than PostgreSQL's version. */
  readonly totalRows: number;
  readonly supersededRows: number;
  /** Entries PostgreSQL refused, kept in the dead-letter streams. */
  readonly deadLetters: number;
  /** Consecutive failed flushes, and the last error. */
  readonly failures: number;
  readonly lastError: string | null;
}

/** Counters behind {@link WriteBehindStatus}. */
export class WriteBehindStats {
  #lastFlushAt: number | null = null;
  #lastFlushRows = 0;
  #lastFlushMs = 0;
  #totalRows = 0;
  #superseded = 0;
  #failures = 0;
  #lastError: string | null = null;

  recordRows(applied: number, superseded: number): void {
    this.#totalRows += applied + superseded;
    this.#superseded += superseded;
  }

  recordFlush(rows: number, ms: number): void {
    this.#failures = 0;
    this.#lastError = null;
    if (rows === 0) return;
    this.#lastFlushAt = Date.now();
    this.#lastFlushRows = rows;
    this.#lastFlushMs = ms;
  }

  /** Count a failure; returns the retry delay (exponential, capped). */
  recordFailure(error: unknown, baseMs: number, maxMs: number): number {
    this.#failures++;
    this.#lastError = error instanceof Error ? error.message : String(error);
    return Math.min(maxMs, baseMs * 2 ** Math.min(this.#failures, 16));
  }

  snapshot(
    shards: readonly { pending: number; oldestAt: number | null; deadLetters: number }[],
  ): WriteBehindStatus {
    const oldest = shards.reduce<number | null>(
      (min, s) => (s.oldestAt !== null && (min === null || s.oldestAt < min) ? s.oldestAt : min),
      null,
    );
    return {
      pending: shards.reduce((n, s) => n + s.pending, 0),
      oldestPendingAgeMs: oldest === null ? null : Math.max(0, Date.now() - oldest),
      lastFlushAt: this.#lastFlushAt,
      lastFlushRows: this.#lastFlushRows,
      lastFlushMs: Math.round(this.#lastFlushMs),
      rowsPerSecond:
        this.#lastFlushMs > 0 ? Math.round((this.#lastFlushRows / this.#lastFlushMs) * 1000) : 0,
      totalRows: this.#totalRows,
      supersededRows: this.#superseded,
      deadLetters: shards.reduce((n, s) => n + s.deadLetters, 0),
      failures: this.#failures,
      lastError: this.#lastError,
    };
  }
}
