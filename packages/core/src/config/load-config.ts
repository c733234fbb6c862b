import { type Env, parsePort, read } from './env-url.ts';
import { loadPostgresConfig, POSTGRES_VARIABLES, type PostgresConfig } from './postgres-config.ts';
import { loadRedisConfig, REDIS_VARIABLES, type RedisConfig } from './redis-config.ts';

/** Everything hybridstate reads from the environment. */
export interface HybridStateConfig {
  readonly redis: RedisConfig;
  readonly postgres: PostgresConfig;
  /** HTTP port of the server. */
  readonly port: number;
  /** Names (never values) of the recognised variables that are set. */
  readonly presentVariables: readonly string[];
}

/**
 * Read the configuration from an environment map. Apps pass the process environment; packages
 * never read the environment themselves. A malformed URL or a half-set group of variables
 * throws `HS_CONFIG_INVALID` naming the variable; nothing falls back silently.
 *
 * @example
 * ```ts
 * const config = loadConfig(appEnvironment);
 * for (const line of describeConfig(config)) logger.info(line);
 * ```
 */
export function loadConfig(env: Env): HybridStateConfig {
  const known = [...REDIS_VARIABLES, ...POSTGRES_VARIABLES, 'PORT'];
  return Object.freeze({
    redis: Object.freeze(loadRedisConfig(env)),
    postgres: Object.freeze(loadPostgresConfig(env)),
    port: parsePort('PORT', read(env, 'PORT'), 3000),
    presentVariables: Object.freeze(known.filter((name) => read(env, name) !== undefined)),
  });
}

/** One log line per tier saying which source won (secrets redacted), as seed 004 expects. */
export function describeConfig(config: HybridStateConfig): { redis: string; postgres: string } {
  const { redis, postgres } = config;
  return {
    redis:
      redis.mode === 'redis'
        ? `Redis: using ${redis.source} (${redis.redactedUrl})`
        : 'Redis: no REDIS_URL, REDIS_PUBLIC_URL, REDISHOST or REDIS_HOST set; using process memory (local-only mode, not shared between processes)',
    postgres:
      postgres.mode === 'postgres'
        ? `PostgreSQL: using ${postgres.source} (${postgres.redactedUrl})`
        : `PostgreSQL: no DATABASE_URL, DATABASE_PUBLIC_URL or PGHOST set; using embedded PGlite in ${postgres.dataDir}`,
  };
}
