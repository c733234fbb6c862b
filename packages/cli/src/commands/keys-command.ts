import { connectRedis, loadConfig, openPostgres } from '@hybridstate/core';
import { printJson } from '../cli-io.ts';
import { cliKeyspace } from '../cli-keyspace.ts';
import type { Command } from '../command.ts';
import { assertReachable } from '../connect/open-cli-store.ts';
import { CliError } from '../errors.ts';
import { pendingWrites } from '../keys/pending-writes.ts';
import { postgresFamilies } from '../keys/postgres-families.ts';
import { type KeysReport, renderKeys } from '../keys/render-keys.ts';
import { scanRedisKeys } from '../keys/scan-redis-keys.ts';

/** `hybridstate keys [family]`: what the keyspace holds, per family, without blocking Redis. */
export const keysCommand: Command = {
  name: 'keys',
  summary: 'count keys, sizes, TTLs and pending writes per family (SCAN: safe in production)',
  usage: 'keys [family] [--limit <n>] [--json]',
  help: [
    'family: a family name (PostgreSQL) or the start of a key shape (Redis), e.g. user_memory.',
    '--limit <n>  stop the Redis SCAN after n keys (the figures are then a sample)',
  ],
  options: { limit: { type: 'string' } },
  positionals: { min: 0, max: 1, names: '[family]' },
  async run(context) {
    const config = loadConfig(context.io.env);
    await assertReachable(config, context.schema);
    const family = context.positionals[0];
    const maxKeys = limitOf(context.values.limit);
    const shards = cliKeyspace(context.prefix).keyspace.shards;
    const redis =
      config.redis.mode === 'redis'
        ? await connectRedis(config.redis, { commandTimeout: 5000 })
        : undefined;
    const sql = await openPostgres(config.postgres, { max: 1 });
    try {
      const [scan, pending, families] = await Promise.all([
        redis && scanRedisKeys(redis, { prefix: context.prefix, family, maxKeys }),
        redis ? pendingWrites(redis, context.prefix, shards) : new Map<string, number>(),
        postgresFamilies(sql.sql, context.schema, context.prefix, family).catch(() => null),
      ]);
      const report: KeysReport = {
        prefix: context.prefix,
        family: family ?? null,
        redis: scan ?? null,
        postgres: families,
        pending: pendingByFamily(pending, context.prefix, family),
      };
      if (context.json) printJson(context.io, report);
      else for (const line of renderKeys(report)) context.io.out(line);
      return 0;
    } finally {
      redis?.disconnect();
      await sql.close();
    }
  },
};

function limitOf(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (typeof value === 'string' && /^\d+$/.test(value) && n > 0) return n;
  throw new CliError(
    'HS_CLI_USAGE',
    `--limit must be a positive whole number, got "${String(value)}".`,
  );
}

function pendingByFamily(
  pending: Map<string, number>,
  prefix: string,
  family: string | undefined,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [namespace, n] of pending) {
    if (!namespace.startsWith(`${prefix}:`)) continue;
    const name = namespace.slice(prefix.length + 1);
    if (family === undefined || name === family) out[name] = n;
  }
  return out;
}
