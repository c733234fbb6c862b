import {
  type HybridStateConfig,
  type Keyspace,
  type OpenedStore,
  openStore,
  type WriteBehindOptions,
} from '@hybridstate/core';
import { CliError } from '../errors.ts';
import { probePostgres } from './probe-postgres.ts';
import { probeRedis } from './probe-redis.ts';
import { probeRedisCluster } from './probe-redis-cluster.ts';

/** Options of {@link openCliStore}. */
export interface OpenCliStoreOptions {
  readonly config: HybridStateConfig;
  readonly keyspace: Keyspace;
  /** PostgreSQL schema of the store's tables. */
  readonly schema: string;
  /** @default { enabled: false }: a command flushes only when asked to (`hybridstate flush`). */
  readonly writeBehind?: WriteBehindOptions;
}

/**
 * Check that every configured server answers (one explained line and `HS_CLI_CONNECT`
 * otherwise, before anything is written), then open the store. The store migrates the
 * schema on start, as the server does.
 *
 * @example
 * ```ts
 * const { store, close } = await openCliStore({ config, keyspace, schema: 'hybridstate' });
 * ```
 */
export async function openCliStore(options: OpenCliStoreOptions): Promise<OpenedStore> {
  await assertReachable(options.config, options.schema);
  return openStore(options.config, options.keyspace, undefined, {
    sweepIntervalMs: 0,
    postgresTier: { schema: options.schema },
    writeBehind: options.writeBehind ?? { enabled: false },
  });
}

/**
 * Probe the configured Redis (every seed of a cluster until one answers) and PostgreSQL;
 * throw the first failure, explained.
 */
export async function assertReachable(
  config: HybridStateConfig,
  schema: string,
  tiers: readonly ('redis' | 'postgres')[] = ['redis', 'postgres'],
): Promise<void> {
  const { redis, postgres } = config;
  const probes = await Promise.all([
    redis.mode === 'redis' && tiers.includes('redis')
      ? redis.cluster === undefined
        ? probeRedis(redis.url, redis.source)
        : probeRedisCluster(redis.url, redis.cluster, redis.source)
      : undefined,
    postgres.mode === 'postgres' && tiers.includes('postgres')
      ? probePostgres(postgres.url, postgres.source, schema)
      : undefined,
  ]);
  for (const probe of probes) {
    if (probe !== undefined && !probe.ok) {
      const { summary, fix } = probe.explanation;
      throw new CliError('HS_CLI_CONNECT', `${summary}. Fix: ${fix}.`, {
        kind: probe.explanation.kind,
      });
    }
  }
}
