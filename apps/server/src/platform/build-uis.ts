import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Logger } from '@hybridstate/core';

/** Builds of the UIs running in the background. */
export interface UiBuilds {
  /** The folders being built. */
  readonly folders: readonly string[];
  /** Resolves when every build ended (each one logged). */
  readonly done: Promise<void>;
  /** Kill a build still running (shutdown). */
  stop(): void;
}

/** Whether a UI folder has a built `dist/index.html`. */
export function isBuilt(folder: string): boolean {
  return existsSync(`${folder}/dist/index.html`);
}

/**
 * Build each UI whose `dist/index.html` is missing with `npx vite build` in its folder, one
 * at a time (the machine may be small), in the background: the server answers meanwhile and
 * serves each UI once its files exist. A failed build is logged; nothing else stops.
 */
export function buildMissingUis(folders: readonly string[], logger: Logger): UiBuilds {
  const missing = folders.filter((f) => !isBuilt(f) && existsSync(`${f}/package.json`));
  let current: ChildProcess | undefined;
  let stopped = false;
  const done = (async () => {
    for (const folder of missing) {
      if (stopped) return;
      logger.info(
        { folder },
        `building ${folder} (vite build) in the background: its dist is missing`,
      );
      await new Promise<void>((resolve) => {
        current = spawn('npx', ['--no', 'vite', 'build'], {
          cwd: folder,
          stdio: ['ignore', 'ignore', 'pipe'],
        });
        watch(current, folder, logger, resolve);
      });
    }
  })();
  return {
    folders: missing,
    done,
    stop() {
      stopped = true;
      if (current?.exitCode === null) current.kill('SIGTERM');
    },
  };
}

function watch(child: ChildProcess, folder: string, logger: Logger, resolve: () => void): void {
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-2000);
  });
  child.on('error', (error) => {
    logger.warn(
      { folder, err: error },
      `could not run vite build in ${folder}; serving without it`,
    );
    resolve();
  });
  child.on('close', (status) => {
    if (status === 0) logger.info({ folder }, `built ${folder}: it is served now`);
    else logger.warn({ folder, stderr }, `vite build failed in ${folder}; serving without it`);
    resolve();
  });
}
