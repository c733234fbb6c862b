import { collectDefaultMetrics, Registry } from 'prom-client';

/**
 * A registry with Node's default process metrics (CPU, memory, event-loop lag, GC) and an
 * `instance`-independent `app` label, ready for the store and realtime metrics.
 *
 * @example
 * ```ts
 * const registry = createMetricsRegistry();
 * const metrics = createStoreMetrics(registry);
 * ```
 */
export function createMetricsRegistry(app = 'hybridstate'): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ app });
  collectDefaultMetrics({ register: registry });
  return registry;
}
