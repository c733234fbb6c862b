import { execFile } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const VITE = join(ROOT, 'node_modules/.bin/vite');

/** The newest modification time under `path` (a file or a directory tree). */
async function newest(path: string): Promise<number> {
  const info = await stat(path);
  if (!info.isDirectory()) return info.mtimeMs;
  const entries = await readdir(path);
  const times = await Promise.all(entries.map((entry) => newest(join(path, entry))));
  return Math.max(info.mtimeMs, ...times);
}

/** True when `dist/index.html` exists and is newer than every source of the app. */
async function isFresh(appDir: string): Promise<boolean> {
  const built = await stat(join(appDir, 'dist/index.html')).catch(() => null);
  if (built === null) return false;
  const sources = await Promise.all(
    ['src', 'index.html', 'vite.config.ts', '../ui-shared/src'].map((p) => newest(join(appDir, p))),
  );
  return built.mtimeMs >= Math.max(...sources);
}

/**
 * Build `apps/admin` and `apps/mini-app` with vite unless their `dist/` is newer than their
 * sources (the server serves those directories under /admin/ and /app/).
 */
export async function ensureUisBuilt(): Promise<void> {
  for (const app of ['admin', 'mini-app']) {
    const appDir = join(ROOT, 'apps', app);
    if (await isFresh(appDir)) continue;
    await run(VITE, ['build', '--logLevel', 'warn'], { cwd: appDir });
  }
}
