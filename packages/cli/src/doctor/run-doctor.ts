import type { Env } from '@hybridstate/core';
import { cliKeyspace } from '../cli-keyspace.ts';
import { checkConfig } from './check-config.ts';
import { checkConnections } from './check-connections.ts';
import { checkKeyspace } from './check-keyspace.ts';
import { checkPubSub } from './check-pubsub.ts';
import { checkRoundTrip } from './check-roundtrip.ts';
import { checkWriteBehind } from './check-write-behind.ts';
import { type CheckResult, type DoctorReport, overallStatus, skipped } from './doctor-report.ts';
import { openDoctorSession } from './doctor-session.ts';

/** Options of {@link runDoctor}. */
export interface DoctorOptions {
  readonly env: Env;
  readonly prefix: string;
  readonly schema: string;
}

const DEEP_CHECKS = ['roundtrip', 'pubsub', 'write-behind', 'keyspace'] as const;

/**
 * Seed 004's checklist, automated: configuration, connections, a round trip through every
 * tier, pub/sub, write-behind and the TTL policy. Never throws for an unhealthy system: every
 * finding is a check in the report.
 *
 * @example
 * ```ts
 * const report = await runDoctor({ env: process.env, prefix: 'hs', schema: 'hybridstate' });
 * process.exitCode = report.status === 'fail' ? 1 : 0;
 * ```
 */
export async function runDoctor(options: DoctorOptions): Promise<DoctorReport> {
  const checks: CheckResult[] = [];
  const report = () => ({
    version: 1 as const,
    status: overallStatus(checks),
    prefix: options.prefix,
    schema: options.schema,
    checks,
  });
  const { result, config } = checkConfig(options.env);
  checks.push(result);
  if (config === undefined) {
    checks.push(
      skipped('redis', 'the configuration is invalid'),
      skipped('postgres', 'the configuration is invalid'),
    );
    for (const id of DEEP_CHECKS) checks.push(skipped(id, 'the configuration is invalid'));
    return report();
  }
  const { redis, postgres } = await checkConnections(config, options.schema);
  checks.push(redis, postgres);
  const blocker = deepBlocker(config.redis.mode, redis, postgres);
  if (blocker !== undefined || config.redis.mode !== 'redis') {
    for (const id of DEEP_CHECKS) checks.push(skipped(id, blocker ?? 'no Redis configured'));
    return report();
  }
  const session = await openDoctorSession(
    { ...config, redis: config.redis },
    cliKeyspace(options.prefix),
    options.schema,
  );
  try {
    checks.push(await checkRoundTrip(session));
    checks.push(await checkPubSub(session.redis, options.prefix));
    checks.push(checkWriteBehind(await session.store.writeBehindStatus(), options.prefix));
    checks.push(await checkKeyspace(session.redis, options.prefix));
  } finally {
    await session.close();
  }
  return report();
}

function deepBlocker(
  redisMode: string,
  redis: CheckResult,
  postgres: CheckResult,
): string | undefined {
  if (redisMode === 'redis' && redis.status === 'fail') return 'Redis is unreachable';
  if (postgres.status === 'fail') return 'PostgreSQL is unreachable';
  if (postgres.status === 'skip') return 'PostgreSQL is embedded PGlite';
  if (postgres.status === 'warn') return 'the schema is not migrated (run `hybridstate migrate`)';
  return undefined;
}
