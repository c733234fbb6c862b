import type { TieredStore } from '@hybridstate/core';
import type { CliKeyspace } from '../cli-keyspace.ts';
import { BACKUP_FILES, type BackupFile, type BackupFolder } from './backup-folder.ts';
import { type BackupRecord, backupRecords } from './backup-records.ts';
import { sameValue } from './same-value.ts';

/** What importing one file did (or, on a dry run, would do). */
export interface FileImport {
  readonly file: `${BackupFile}.json`;
  readonly records: number;
  /** Keys the store did not have. */
  readonly created: number;
  /** Keys holding exactly the backup's value already (imported before). */
  readonly unchanged: number;
  /** Keys holding another value: kept, unless `overwrite`. */
  readonly differing: number;
  /** Keys written: 0 on a dry run. */
  readonly written: number;
}

/** Options of {@link importBackup}. */
export interface ImportBackupOptions {
  /** Write; otherwise only report. @default false */
  readonly apply?: boolean;
  /** Replace values that differ from the backup. @default false (keep the store's) */
  readonly overwrite?: boolean;
  /** Told how many records were checked, as it goes (a progress bar). */
  readonly onProgress?: (records: number) => void;
}

/** Keys read per round trip while comparing. */
const READ_CHUNK = 500;

/**
 * Import a seed 000 backup into the store, files in the seed's order (kickstarters, users,
 * months, settings). Every file is checked before anything is written; each file is then
 * written in one `setMany` (one PostgreSQL statement: the file applies whole or not at all).
 * Idempotent: keys already holding the backup's value are not written again, and keys holding
 * another value are kept unless `overwrite`.
 *
 * @example
 * ```ts
 * const files = await importBackup(store, await readBackupFolder(dir), families, { apply: true });
 * ```
 */
export async function importBackup(
  store: TieredStore,
  backup: BackupFolder,
  families: CliKeyspace,
  options: ImportBackupOptions = {},
): Promise<FileImport[]> {
  const byFile = BACKUP_FILES.map((file) => ({
    file,
    records: backupRecords(file, backup.files[file], families.backup),
  }));
  const results: FileImport[] = [];
  for (const { file, records } of byFile)
    results.push(await importFile(store, file, records, options));
  return results;
}

/** Total records of a backup (for a progress bar), validating it on the way. */
export function countRecords(backup: BackupFolder, families: CliKeyspace): number {
  return BACKUP_FILES.reduce(
    (n, file) => n + backupRecords(file, backup.files[file], families.backup).length,
    0,
  );
}

async function importFile(
  store: TieredStore,
  file: BackupFile,
  records: readonly BackupRecord[],
  options: ImportBackupOptions,
): Promise<FileImport> {
  const created: BackupRecord[] = [];
  const differing: BackupRecord[] = [];
  let unchanged = 0;
  for (let i = 0; i < records.length; i += READ_CHUNK) {
    const chunk = records.slice(i, i + READ_CHUNK);
    const current = await store.getMany(chunk.map((r) => r.ref));
    chunk.forEach((record, j) => {
      if (current[j] === undefined) created.push(record);
      else if (sameValue(current[j], record.value)) unchanged++;
      else differing.push(record);
    });
    options.onProgress?.(chunk.length);
  }
  const toWrite = options.overwrite === true ? [...created, ...differing] : created;
  if (options.apply === true && toWrite.length > 0) await store.setMany(toWrite);
  return {
    file: `${file}.json`,
    records: records.length,
    created: created.length,
    unchanged,
    differing: differing.length,
    written: options.apply === true ? toWrite.length : 0,
  };
}
