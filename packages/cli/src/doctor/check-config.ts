import {
  type Env,
  type HybridStateConfig,
  isHybridStateError,
  loadConfig,
  POSTGRES_VARIABLES,
  REDIS_VARIABLES,
} from '@hybridstate/core';
import { type CheckResult, check } from './doctor-report.ts';

/** The configuration check and, when it could be read, the configuration. */
export interface ConfigCheck {
  readonly result: CheckResult;
  readonly config: HybridStateConfig | undefined;
}

/**
 * Seed 004's first step: which Redis and PostgreSQL variables are present (names only), and
 * which source won. Fails on a malformed or half-set group; warns on embedded defaults.
 */
export function checkConfig(env: Env): ConfigCheck {
  const present = (names: readonly string[]) =>
    names.filter((name) => (env[name] ?? '').trim() !== '');
  const details = {
    redisVariables: present(REDIS_VARIABLES),
    postgresVariables: present(POSTGRES_VARIABLES),
  };
  let config: HybridStateConfig;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (!isHybridStateError(error, 'HS_CONFIG_INVALID')) throw error;
    return {
      result: check('config', 'fail', error.message, details, 'fix the variable named above'),
      config: undefined,
    };
  }
  const redis =
    config.redis.mode === 'redis'
      ? `${config.redis.source} (${config.redis.redactedUrl})`
      : 'process memory';
  const postgres =
    config.postgres.mode === 'postgres'
      ? `${config.postgres.source} (${config.postgres.redactedUrl})`
      : `embedded PGlite in ${config.postgres.dataDir}`;
  const full = {
    ...details,
    redis: { mode: config.redis.mode, source: config.redis.source, url: urlOf(config.redis) },
    postgres: {
      mode: config.postgres.mode,
      source: config.postgres.source,
      url: urlOf(config.postgres),
    },
  };
  const summary = `Redis from ${redis}; PostgreSQL from ${postgres}`;
  const embedded = [
    config.redis.mode === 'memory' ? 'no Redis variable is set' : undefined,
    config.postgres.mode === 'pglite' ? 'no PostgreSQL variable is set' : undefined,
  ].filter((s) => s !== undefined);
  if (embedded.length === 0) return { result: check('config', 'ok', summary, full), config };
  return {
    result: check(
      'config',
      'warn',
      `${summary}: ${embedded.join(' and ')}, so this runs on embedded defaults (local-only, not shared between processes)`,
      full,
      `on Railway add ${missingServices(config)} to this project and reference ${missingReferences(config)} in this service's Variables, then redeploy`,
    ),
    config,
  };
}

function missingServices(config: HybridStateConfig): string {
  const services = [
    config.redis.mode === 'memory' ? 'a Redis service' : undefined,
    config.postgres.mode === 'pglite' ? 'a PostgreSQL service' : undefined,
  ];
  return services.filter((s) => s !== undefined).join(' and ');
}

function missingReferences(config: HybridStateConfig): string {
  const references = [
    config.redis.mode === 'memory' ? `REDIS_URL=\${{Redis.REDIS_URL}}` : undefined,
    config.postgres.mode === 'pglite' ? `DATABASE_URL=\${{Postgres.DATABASE_URL}}` : undefined,
  ];
  return references.filter((r) => r !== undefined).join(' and ');
}

function urlOf(tier: { mode: string; redactedUrl?: string }): string | null {
  return tier.redactedUrl ?? null;
}
