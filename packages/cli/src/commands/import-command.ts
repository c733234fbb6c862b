import { connectRedis, createRedisClient, loadConfig, type RedisClient } from '@hybridstate/core';
import { printJson } from '../cli-io.ts';
import { type CliKeyspace, cliKeyspace } from '../cli-keyspace.ts';
import type { Command, CommandContext } from '../command.ts';
import { assertReachable, openCliStore } from '../connect/open-cli-store.ts';
import { probeRedis } from '../connect/probe-redis.ts';
import { CliError } from '../errors.ts';
import { readBackupFolder } from '../import/backup-folder.ts';
import { countRecords, type FileImport, importBackup } from '../import/import-backup.ts';
import { importLegacyRedis } from '../import/legacy-sessions-import.ts';
import { createProgress } from '../import/progress.ts';

/** `hybridstate import`: seed 000's backup folder, or its legacy Redis session keys. */
export const importCommand: Command = {
  name: 'import',
  summary:
    "import seed 000's backups/<timestamp> folder or its legacy Redis sessions (dry run by default)",
  usage: 'import <dir> | --legacy [--from <redis-url>] [--apply] [--overwrite] [--json]',
  help: [
    '<dir>        backups/<timestamp> with kickstarters, users, months, settings .json (or backups/: newest)',
    '--legacy     import global, lots, polls, channels, {id}-user, {id}-chat, {from}:{chat} session keys',
    '--from <url> the Redis holding the legacy keys (default: the configured Redis)',
    '--apply      write (without it nothing is written: a dry run with the summary)',
    "--overwrite  replace backup records whose stored value differs (default: keep the store's)",
  ],
  options: {
    apply: { type: 'boolean' },
    overwrite: { type: 'boolean' },
    legacy: { type: 'boolean' },
    from: { type: 'string' },
  },
  positionals: { min: 0, max: 1, names: '<dir>' },
  async run(context) {
    const dir = context.positionals[0];
    const legacy = context.values.legacy === true;
    if ((dir === undefined) === !legacy)
      throw new CliError(
        'HS_CLI_USAGE',
        `Give either a backup folder or --legacy. Usage: hybridstate ${importCommand.usage}.`,
      );
    const families = cliKeyspace(context.prefix);
    // Read and check the whole backup before connecting: a bad file fails fast, nothing written.
    const backup = dir === undefined ? undefined : await readBackupFolder(dir);
    const total = backup === undefined ? 0 : countRecords(backup, families);
    const config = loadConfig(context.io.env);
    const source = legacy ? await legacySource(context, config) : undefined;
    const { store, close } = await openCliStore({
      config,
      keyspace: families.keyspace,
      schema: context.schema,
    });
    try {
      if (source !== undefined) return await runLegacy(context, source, store, families);
      const progress = createProgress(
        context.json ? undefined : context.io.progressStream,
        total,
        'import',
      );
      const apply = context.values.apply === true;
      const files = await importBackup(store, backup!, families, {
        apply,
        overwrite: context.values.overwrite === true,
        onProgress: (n) => progress.tick(n),
      }).finally(() => progress.stop());
      if (context.json) printJson(context.io, { dir: backup!.dir, dryRun: !apply, files });
      else
        for (const line of renderFiles(
          backup!.dir,
          apply,
          context.values.overwrite === true,
          files,
        ))
          context.io.out(line);
      return 0;
    } finally {
      await close();
    }
  },
};

/** How to connect to the Redis holding the legacy keys: `--from`, else the configured one. */
async function legacySource(
  context: CommandContext,
  config: ReturnType<typeof loadConfig>,
): Promise<() => Promise<RedisClient>> {
  const from = context.values.from;
  if (typeof from === 'string') {
    const probe = await probeRedis(from, '--from');
    if (!probe.ok)
      throw new CliError(
        'HS_CLI_CONNECT',
        `${probe.explanation.summary}. Fix: ${probe.explanation.fix}.`,
      );
    return () => createRedisClient(from, LEGACY_CLIENT);
  }
  const redis = config.redis;
  if (redis.mode !== 'redis')
    throw new CliError(
      'HS_CLI_USAGE',
      'import --legacy reads the legacy keys from Redis, and no Redis is configured: set REDIS_URL or pass --from <redis-url>.',
    );
  await assertReachable(config, context.schema, ['redis']);
  return () => connectRedis(redis, LEGACY_CLIENT);
}

const LEGACY_CLIENT = { commandTimeout: 5000 };

async function runLegacy(
  context: CommandContext,
  source: () => Promise<RedisClient>,
  store: Parameters<typeof importLegacyRedis>[1],
  families: CliKeyspace,
): Promise<number> {
  const apply = context.values.apply === true;
  const report = await importLegacyRedis(source, store, families, apply);
  if (context.json) printJson(context.io, report);
  else {
    context.io.out(
      `${apply ? 'imported' : 'would import (dry run)'} ${report.imported.length} legacy session keys; skipped ${report.skipped.length}`,
    );
    for (const s of report.skipped) context.io.out(`  skipped ${s.from}: ${s.reason}`);
    if (!apply && report.imported.length > 0)
      context.io.out('run again with --apply to write them');
  }
  return 0;
}

function renderFiles(
  dir: string,
  apply: boolean,
  overwrite: boolean,
  files: readonly FileImport[],
): string[] {
  const lines = [`${apply ? 'imported' : 'dry run, nothing written:'} ${dir}`];
  for (const f of files)
    lines.push(
      `  ${f.file.padEnd(18)} ${String(f.records).padStart(6)} records: ${f.created} new, ${f.unchanged} unchanged, ${f.differing} differing (${overwrite ? 'replaced' : 'kept; --overwrite replaces them'}), ${f.written} written`,
    );
  if (!apply && files.some((f) => f.created + f.differing > 0))
    lines.push('run again with --apply to write them');
  return lines;
}
