/**
 * Every Prometheus metric the server exports, by name, so dashboards and alerts have one
 * place to look. Labels: `tier` is `redis` | `memory` | `postgres` | `pglite`.
 */
export const METRIC_NAMES = {
  /** Counter{tier, outcome=ok|error}: operations against a tier, through its breaker. */
  tierOperations: 'hybridstate_tier_operations_total',
  /** Histogram{tier}: their duration, in seconds. */
  tierDuration: 'hybridstate_tier_operation_duration_seconds',
  /** Counter{tier, family}: keys a tier had when read. */
  tierHits: 'hybridstate_tier_hits_total',
  /** Counter{tier, family}: keys a tier did not have (the next tier was asked). */
  tierMisses: 'hybridstate_tier_misses_total',
  /** Gauge{tier}: 1 while the tier answers its health probe, else 0. */
  tierUp: 'hybridstate_tier_up',
  /** Gauge{tier, state=closed|open|half-open|recovering}: 1 for the breaker's current state. */
  circuitState: 'hybridstate_tier_circuit_state',
  /** Counter{tier, state}: circuit breaker transitions. */
  circuitTransitions: 'hybridstate_tier_circuit_transitions_total',
  /** Gauge: buffered writes in the Redis journal, not yet in PostgreSQL. */
  writeBehindPending: 'hybridstate_write_behind_pending',
  /** Gauge: age of the oldest pending write, seconds (0 when none). */
  writeBehindLag: 'hybridstate_write_behind_lag_seconds',
  /** Counter: rows this process flushed to PostgreSQL (rate() gives rows/s). */
  writeBehindRows: 'hybridstate_write_behind_rows_total',
  /** Gauge: rows per second of the last flush that wrote any. */
  writeBehindRowsPerSecond: 'hybridstate_write_behind_last_flush_rows_per_second',
  /** Gauge: writes PostgreSQL refused, kept in the dead-letter streams. */
  writeBehindDeadLetters: 'hybridstate_write_behind_dead_letters',
  /** Gauge: consecutive failed flushes (0 when the last one worked). */
  writeBehindFailures: 'hybridstate_write_behind_failures',
  /** Gauge: 1 while the message bus reaches the other instances. */
  busConnected: 'hybridstate_bus_connected',
  /** Counter: messages this instance published on the bus. */
  busPublished: 'hybridstate_bus_published_total',
  /** Counter: messages this instance received from the bus. */
  busReceived: 'hybridstate_bus_received_total',
  /** Counter: messages the bus could not hand to Redis (delivered locally only). */
  busDropped: 'hybridstate_bus_dropped_total',
  /** Gauge: clients connected to the /sync gateway. */
  gatewayClients: 'hybridstate_gateway_clients',
} as const;
