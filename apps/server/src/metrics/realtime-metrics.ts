import { Counter, Gauge, type Registry } from 'prom-client';
import { METRIC_NAMES as N } from './metric-names.ts';

/**
 * Readings of the message bus and the /sync gateway, as callbacks read at each scrape. Leave
 * out what a process does not have. Counters must only grow (they are totals since start).
 */
export interface RealtimeSources {
  readonly busConnected?: () => boolean;
  readonly busPublished?: () => number;
  readonly busReceived?: () => number;
  readonly busDropped?: () => number;
  readonly gatewayClients?: () => number;
}

/**
 * Register the bus and gateway metrics (names in {@link N}) on `registry`, read from
 * `sources` when scraped.
 *
 * @example
 * ```ts
 * registerRealtimeMetrics(registry, {
 *   busConnected: () => bus.connected,
 *   busDropped: () => bus.dropped,
 *   gatewayClients: () => io.engine.clientsCount,
 * });
 * ```
 */
export function registerRealtimeMetrics(registry: Registry, sources: RealtimeSources): void {
  const registers = [registry];
  const { busConnected, gatewayClients } = sources;
  if (busConnected !== undefined)
    new Gauge({
      name: N.busConnected,
      help: '1 while the message bus reaches the other instances.',
      registers,
      collect() {
        this.set(busConnected() ? 1 : 0);
      },
    });
  if (gatewayClients !== undefined)
    new Gauge({
      name: N.gatewayClients,
      help: 'Clients connected to the /sync gateway.',
      registers,
      collect() {
        this.set(gatewayClients());
      },
    });
  const total = (name: string, help: string, read: (() => number) | undefined) => {
    if (read === undefined) return;
    new Counter({
      name,
      help,
      registers,
      collect() {
        this.reset();
        this.inc(read());
      },
    });
  };
  total(N.busPublished, 'Messages published on the bus.', sources.busPublished);
  total(N.busReceived, 'Messages received from the bus.', sources.busReceived);
  total(N.busDropped, 'Messages the bus could not hand to Redis.', sources.busDropped);
}
