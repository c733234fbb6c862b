/**
 * @hybridstate/cli: the `hybridstate` command (doctor, migrate, flush, keys, import). Its
 * pieces are exported for apps that want the same checks in-process (an admin page running
 * the doctor, a deploy script importing a backup).
 */

export type { CliIo } from './cli-io.ts';
export { type CliKeyspace, cliKeyspace } from './cli-keyspace.ts';
export { type Explanation, explainFailure, type FailureTarget } from './connect/explain-failure.ts';
export { type PostgresProbe, probePostgres } from './connect/probe-postgres.ts';
export { type ProbeRedisOptions, probeRedis, type RedisProbe } from './connect/probe-redis.ts';
export {
  CHECK_IDS,
  type CheckId,
  type CheckResult,
  type CheckStatus,
  type DoctorReport,
} from './doctor/doctor-report.ts';
export { renderDoctor } from './doctor/render-doctor.ts';
export { type DoctorOptions, runDoctor } from './doctor/run-doctor.ts';
export { CLI_ERROR_CODES, CliError, type CliErrorCode, EXIT_CODES } from './errors.ts';
export { BACKUP_FILES, type BackupFolder, readBackupFolder } from './import/backup-folder.ts';
export { type FileImport, type ImportBackupOptions, importBackup } from './import/import-backup.ts';
export { COMMANDS, runCli } from './run-cli.ts';
