/**
 * GoblinHelperBot on hybridstate. Reads the environment (the only file that does):
 * - `BOT_TOKEN`: the bot's token; without it, a short offline demo runs through the real
 *   pipeline with the Bot API calls printed instead of sent.
 * - `TELEGRAM_API_ROOT`: a self-hosted Bot API server or an emulator (Telegraf's `apiRoot`).
 * - Redis and PostgreSQL variables as hybridstate reads them (`REDIS_URL`, `DATABASE_URL`...);
 *   none set: process memory and PGlite in `./.data` (embedded defaults).
 * - `GOBLIN_SCHEMA` (default `goblin`), `GOBLIN_PREFIX` (default `goblin`), `GOBLIN_OWNER_IDS`
 *   (comma-separated user ids made adminPlus), `GOBLIN_BACKUP_DIR` (a seed 000 backups folder to
 *   import at startup), `GOBLIN_LEGACY_REDIS_URL` (the seed bot's Redis: its
 *   telegraf-session-redis-upd sessions are imported at startup, idempotently).
 */
import {
  createRedisClient,
  describeConfig,
  Keyspace,
  type Logger,
  loadConfig,
  openStore,
} from '@hybridstate/core';
import { readTelegramOptions } from '@hybridstate/telegram';
import { createGoblinBot } from './bot/create-goblin-bot.ts';
import { runDemo } from './demo.ts';
import { importGoblinBackup } from './import/import-backup.ts';
import { importGoblinLegacySessions } from './import/import-legacy-sessions.ts';
import { migrateGoblinSchema } from './schema/migrations.ts';

const env = process.env;
const logger: Logger = {
  debug: () => undefined,
  info: (bindings, message) => console.log(message, bindings),
  warn: (bindings, message) => console.warn(message, bindings),
  error: (bindings, message) => console.error(message, bindings),
};

const config = loadConfig(env);
const described = describeConfig(config);
console.log(described.redis);
console.log(described.postgres);

const schema = env.GOBLIN_SCHEMA ?? 'goblin';
const keyspace = new Keyspace({ prefix: env.GOBLIN_PREFIX ?? 'goblin' });
const opened = await openStore(config, keyspace, logger);
await migrateGoblinSchema(opened.sql, schema);
if (env.GOBLIN_BACKUP_DIR !== undefined) {
  const report = await importGoblinBackup(opened.sql, schema, env.GOBLIN_BACKUP_DIR);
  console.log('imported the backup', report);
}

const { token, apiRoot } = readTelegramOptions(env);
const goblin = createGoblinBot({
  token: token ?? '0:offline-demo',
  ...(apiRoot === undefined ? {} : { telegram: { apiRoot } }),
  store: opened.store,
  keyspace,
  sql: opened.sql,
  schema,
  ownerIds: (env.GOBLIN_OWNER_IDS ?? '').split(',').filter(Boolean).map(Number),
});
const { bot } = goblin;

if (env.GOBLIN_LEGACY_REDIS_URL !== undefined) {
  const legacy = await createRedisClient(env.GOBLIN_LEGACY_REDIS_URL);
  const report = await importGoblinLegacySessions(legacy, opened.store, goblin, {
    dryRun: false,
  });
  legacy.disconnect();
  console.log(
    `imported ${report.imported.length} legacy sessions, skipped ${report.skipped.length}`,
    report.skipped,
  );
}

if (token === undefined) {
  console.log('BOT_TOKEN is not set: running the offline demo (set BOT_TOKEN to go live).');
  await runDemo(bot);
  await opened.close();
} else {
  const stop = async (signal: string) => {
    bot.stop(signal);
    await opened.close();
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  console.log(`GoblinHelperBot: long polling${apiRoot === undefined ? '' : ` via ${apiRoot}`}`);
  await bot.launch();
}
