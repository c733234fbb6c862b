import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { CliError } from '../errors.ts';

/** The files of a seed 000 backup, in the order its import script applied them. */
export const BACKUP_FILES = ['kickstarters', 'users', 'months', 'settings'] as const;

/** One of {@link BACKUP_FILES}. */
export type BackupFile = (typeof BACKUP_FILES)[number];

/** A backup folder, every file read and parsed. */
export interface BackupFolder {
  /** The folder the files came from (a `backups/<timestamp>` folder). */
  readonly dir: string;
  readonly files: Readonly<Record<BackupFile, unknown>>;
}

/**
 * Read `backups/<timestamp>/{users,months,kickstarters,settings}.json` (seed 000). Given the
 * `backups` folder itself, the newest `<timestamp>` folder is used. A missing file or
 * malformed JSON is an `HS_CLI_BACKUP_INVALID` error naming the file; nothing is read partly.
 *
 * @example
 * ```ts
 * const backup = await readBackupFolder('backups/2024-05-01T10-00-00');
 * ```
 */
export async function readBackupFolder(dir: string): Promise<BackupFolder> {
  const folder = await resolveFolder(dir);
  const entries = await Promise.all(
    BACKUP_FILES.map(async (name) => [name, await readJson(folder, name)] as const),
  );
  return { dir: folder, files: Object.fromEntries(entries) as Record<BackupFile, unknown> };
}

async function resolveFolder(dir: string): Promise<string> {
  const info = await stat(dir).catch(() => undefined);
  if (info === undefined || !info.isDirectory())
    throw invalid(
      `${dir} is not a folder: pass a backups/<timestamp> folder holding ${fileList()}`,
    );
  const names = await readdir(dir);
  if (BACKUP_FILES.some((f) => names.includes(`${f}.json`))) return dir;
  const candidates: string[] = [];
  for (const name of names.sort()) {
    const child = join(dir, name);
    if ((await stat(child)).isDirectory() && (await readdir(child)).includes('users.json'))
      candidates.push(child);
  }
  const newest = candidates.at(-1);
  if (newest === undefined)
    throw invalid(
      `${dir} holds no backup: expected ${fileList()} in it or in a <timestamp> folder inside`,
    );
  return newest;
}

async function readJson(dir: string, name: BackupFile): Promise<unknown> {
  const path = join(dir, `${name}.json`);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw invalid(
      `${path} is missing: a backup needs ${fileList()} (write {} for an empty one); nothing was imported`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw invalid(`${path} is not valid JSON (${why}): fix or re-export it; nothing was imported`);
  }
}

function fileList(): string {
  return BACKUP_FILES.map((f) => `${f}.json`).join(', ');
}

function invalid(message: string): CliError {
  return new CliError('HS_CLI_BACKUP_INVALID', message);
}
