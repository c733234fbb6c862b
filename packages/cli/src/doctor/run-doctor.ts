import {
  connectRedis,
  type Env,
  type HybridStateConfig,
  type RedisClient,
} from '@hybridstate/core';
import { cliKeyspace } from '../cli-keyspace.ts';
import { checkConfig } from './check-config.ts';
import { checkConnections } from './check-connections.ts';
import { checkKeyspace } from './check-keyspace.ts';
import { checkPubSub } from './check-pubsub.ts';
import { checkRoundTrip } from './check-roundtrip.ts';
import { checkWriteBehind } from './check-write-behind.ts';
import {
  CHECK_IDS,
  type CheckId,
  type CheckResult,
  type DoctorReport,
  overallStatus,
  skipped,
} from './doctor-report.ts';
import { openDoctorSession } from './doctor-session.ts';

/** Options of {@link runDoctor}. */
export interface DoctorOptions {
  readonly env: Env;
  readonly prefix: string;
  readonly schema: string;
}

/**
 * Seed 004's checklist, automated: configuration, connections, a round trip through every
 * tier, pub/sub, write-behind and the TTL policy. Never throws for an unhealthy system: every
 * finding is a check in the report, in {@link CHECK_IDS} order.
 *
 * @example
 * ```ts
 * const report = await runDoctor({ env: appEnvironment, prefix: 'hs', schema: 'hybridstate' });
 * process.exitCode = report.status === 'fail' ? 1 : 0;
 * ```
 */
export async function runDoctor(options: DoctorOptions): Promise<DoctorReport> {
  const results = new Map<CheckId, CheckResult>();
  const { result, config } = checkConfig(options.env);
  results.set('config', result);
  if (config !== undefined) await runConnectedChecks(config, options, results);
  const checks = CHECK_IDS.map(
    (id) => results.get(id) ?? skipped(id, 'the configuration is invalid'),
  );
  return {
    version: 1,
    status: overallStatus(checks),
    prefix: options.prefix,
    schema: options.schema,
    checks,
  };
}

async function runConnectedChecks(
  config: HybridStateConfig,
  options: DoctorOptions,
  results: Map<CheckId, CheckResult>,
): Promise<void> {
  const { redis, postgres } = await checkConnections(config, options.schema);
  results.set('redis', redis).set('postgres', postgres);
  const noRedis =
    config.redis.mode !== 'redis'
      ? 'no Redis configured'
      : redis.status === 'fail'
        ? 'Redis is unreachable'
        : undefined;
  if (noRedis !== undefined || config.redis.mode !== 'redis') {
    for (const id of ['roundtrip', 'pubsub', 'write-behind', 'keyspace'] as const)
      results.set(id, skipped(id, noRedis ?? ''));
    return;
  }
  const client = await connectRedis(config.redis, { commandTimeout: 3000 });
  try {
    await runStoreChecks(config, client, postgresBlocker(postgres), options, results);
    results.set('pubsub', await checkPubSub(client, options.prefix));
    results.set('keyspace', await checkKeyspace(client, options.prefix));
  } finally {
    client.disconnect();
  }
}

/** The round trip and write-behind need the whole store, so a usable PostgreSQL too. */
async function runStoreChecks(
  config: HybridStateConfig,
  redis: RedisClient,
  blocker: string | undefined,
  options: DoctorOptions,
  results: Map<CheckId, CheckResult>,
): Promise<void> {
  if (blocker !== undefined) {
    results
      .set('roundtrip', skipped('roundtrip', blocker))
      .set('write-behind', skipped('write-behind', blocker));
    return;
  }
  const session = await openDoctorSession(
    config,
    redis,
    cliKeyspace(options.prefix),
    options.schema,
  );
  try {
    results.set('roundtrip', await checkRoundTrip(session));
    results.set(
      'write-behind',
      checkWriteBehind(await session.store.writeBehindStatus(), options.prefix),
    );
  } finally {
    await session.close();
  }
}

function postgresBlocker(postgres: CheckResult): string | undefined {
  if (postgres.status === 'fail') return 'PostgreSQL is unreachable';
  if (postgres.status === 'skip') return 'PostgreSQL is embedded PGlite';
  if (postgres.status === 'warn') return 'the schema is not migrated (run `hybridstate migrate`)';
  return undefined;
}
