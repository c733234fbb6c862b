/**
 * `npm start`: read the environment, open the store (Redis or memory, PostgreSQL or PGlite),
 * serve HTTP on PORT, and shut down cleanly on SIGTERM/SIGINT.
 */
import {
  describeConfig,
  Keyspace,
  loadConfig,
  openStore,
  type TieredStore,
} from '@hybridstate/core';
import { pino } from 'pino';
import { buildServer } from './build-server.ts';

const logger = pino(
  process.stdout.isTTY
    ? { transport: { target: 'pino-pretty', options: { ignore: 'pid,hostname' } } }
    : {},
);

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const lines = describeConfig(config);
  logger.info(
    { variables: config.presentVariables },
    'configuration variables present (values hidden)',
  );
  logger.info({ tier: 'redis', source: config.redis.source }, lines.redis);
  logger.info({ tier: 'postgres', source: config.postgres.source }, lines.postgres);

  const keyspace = new Keyspace({ prefix: 'hs' });
  const { store, close } = await openStore(config, keyspace, logger);
  await logConnections(store);
  const app = buildServer({ store, logger });
  await app.listen({ port: config.port, host: '0.0.0.0' });
  logger.info(
    { url: `http://localhost:${config.port}/health` },
    `hybridstate is up: http://localhost:${config.port}/health`,
  );

  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'shutting down');
    await app.close();
    await close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
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
        `${name}: connection via ${tier.source} failed (${tier.error}); serving from the other tiers until it returns`,
      );
  }
}

main().catch((error: unknown) => {
  logger.fatal({ err: error }, error instanceof Error ? error.message : String(error));
  process.exit(1);
});
