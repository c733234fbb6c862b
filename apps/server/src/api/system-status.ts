import { type MessageBus, RedisMessageBus, type TieredStore } from '@hybridstate/core';

/** What `GET /api/admin/system` reads. */
export interface SystemSources {
  readonly store: TieredStore;
  readonly bus: MessageBus;
  /** Clients on /sync now (0 before the gateway is attached). */
  readonly gatewayClients: () => number;
}

/** Each tier's mode and status, the write-behind backlog, the bus and the gateway. */
export async function systemStatus(sources: SystemSources) {
  const health = await sources.store.health();
  const tier = (t: (typeof health.tiers)['redis']) => ({
    status: t.status,
    mode: t.mode,
    latencyMs: t.latencyMs ?? null,
    ...(t.error === undefined ? {} : { error: t.error }),
  });
  const wb = health.writeBehind;
  const writeBehind =
    wb === undefined
      ? { pending: 0, lagMs: 0, deadLetters: 0 }
      : 'error' in wb
        ? { pending: null, lagMs: null, deadLetters: null, error: wb.error }
        : { pending: wb.pending, lagMs: wb.oldestPendingAgeMs ?? 0, deadLetters: wb.deadLetters };
  return {
    status: health.status,
    tiers: { redis: tier(health.tiers.redis), postgres: tier(health.tiers.postgres) },
    writeBehind,
    bus: { connected: sources.bus.connected, mode: busMode(sources.bus) },
    gateway: { clients: sources.gatewayClients() },
  };
}

function busMode(bus: MessageBus): 'redis' | 'local' {
  return bus instanceof RedisMessageBus ? 'redis' : 'local';
}
