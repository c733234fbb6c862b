/**
 * `npm start`: read the environment, open the store (Redis or memory, PostgreSQL or PGlite),
 * start the platform (API, bot, /sync, UIs), serve HTTP on PORT (/health, /ready, /metrics
 * too), and shut down cleanly on SIGTERM/SIGINT.
 */
import {
  describeConfig,
  type HybridStateConfig,
  loadConfig,
  openStore,
  REDIS_VARIABLES,
  RedisMessageBus,
  type TieredStore,
} from '@hybridstate/core';
import { buildServer } from './build-server.ts';
import { demoSeedEnabled, seedDemo } from './demo/seed-demo.ts';
import { serverKeyspace } from './keyspace/server-keyspace.ts';
import { createLogger } from './logger.ts';
import { createMetricsRegistry } from './metrics/metrics-registry.ts';
import { registerRealtimeMetrics } from './metrics/realtime-metrics.ts';
import { createStoreMetrics } from './metrics/store-metrics.ts';
import { readPlatformEnv } from './platform/platform-env.ts';
import { startPlatform } from './platform/start-platform.ts';
import { logPlatformStartup } from './platform/startup-lines.ts';
import { readWriteBehindEnv } from './platform/write-behind-env.ts';
import { parseRequiredTiers } from './readiness.ts';

const logger = createLogger(process.env, process.stdout.isTTY === true);

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const keyspace = serverKeyspace(process.env);
  logConfiguration(config);
  logger.info({ prefix: keyspace.prefix }, `key prefix: ${keyspace.prefix} (HS_KEY_PREFIX)`);

  const registry = createMetricsRegistry();
  const metrics = createStoreMetrics(registry);
  const writeBehind = readWriteBehindEnv(process.env);
  const { store, sql, redis, close } = await openStore(config, keyspace, logger, {
    observer: metrics.observer,
    writeBehind,
  });
  metrics.attach(store);
  await logConnections(store);
  if (
    config.redis.mode === 'redis' &&
    !keyspace.families().some((f) => f.durability === 'buffered')
  )
    logger.info(
      writeBehind,
      `background sync Redis -> PostgreSQL started (every ${writeBehind.flushIntervalMs >= 60_000 ? `${writeBehind.flushIntervalMs / 60_000} min` : `${writeBehind.flushIntervalMs / 1000} s`})`,
    );
  const app = buildServer({
    store,
    logger,
    metrics: registry,
    requiredTiers: parseRequiredTiers(process.env.READY_REQUIRED_TIERS),
  });
  const platform = await startPlatform({
    app,
    env: readPlatformEnv(process.env, config.port),
    store,
    sql,
    redis,
    keyspace,
    logger,
  });
  if (demoSeedEnabled(process.env)) await seedDemo(platform.platform, logger);
  const { bus, gateway } = platform;
  registerRealtimeMetrics(registry, {
    busConnected: () => bus.connected,
    ...(bus instanceof RedisMessageBus ? { busDropped: () => bus.dropped } : {}),
    gatewayClients: () => gateway.io.engine.clientsCount,
  });
  await app.listen({ port: config.port, host: '0.0.0.0' });
  const botLine = await platform.startBot();
  logPlatformStartup(logger, platform, `http://localhost:${config.port}`, botLine);
  logger.info(
    { url: `http://localhost:${config.port}/health` },
    `hybridstate is up: http://localhost:${config.port}/health (/ready, /metrics)`,
  );

  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'shutting down: flushing buffered writes, closing connections');
    await platform.close();
    await app.close();
    await close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

/** Seed 004's first lines: which variables are set (names only) and which source won. */
function logConfiguration(config: HybridStateConfig): void {
  const lines = describeConfig(config);
  const redisVariables = REDIS_VARIABLES.map(
    (name) => `${name}=${config.presentVariables.includes(name) ? 'set' : 'not set'}`,
  ).join(', ');
  logger.info(
    { variables: config.presentVariables },
    `checking Redis variables: ${redisVariables}`,
  );
  logger.info({ tier: 'redis', source: config.redis.source }, lines.redis);
  logger.info({ tier: 'postgres', source: config.postgres.source }, lines.postgres);
}

/** The startup lines seed 004 tells a person to look for: is each tier connected, through what. */
async function logConnections(store: TieredStore): Promise<void> {
  const health = await store.health();
  for (const [name, tier] of [
    ['Redis', health.tiers.redis],
    ['PostgreSQL', health.tiers.postgres],
  ] as const) {
    if (tier.status === 'up')
      logger.info(
        { tier: name, mode: tier.mode, latencyMs: tier.latencyMs },
        `${name}: connected (${tier.mode} via ${tier.source}, ${tier.latencyMs} ms)`,
      );
    else
      logger.warn(
        { tier: name, mode: tier.mode, error: tier.error },
        `${name}: connection via ${tier.source} failed (${tier.error}); serving from the other tiers until it returns. Run \`hybridstate doctor\` for the cause and the fix`,
      );
  }
}

main().catch((error: unknown) => {
  logger.fatal({ err: error }, error instanceof Error ? error.message : String(error));
  process.exit(1);
});
