import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Logger } from '@hybridstate/core';

/**
 * Build each UI whose `dist/index.html` is missing with `npx vite build` in its folder (one
 * at a time: the machine may be small). A failed build is logged; the server starts anyway.
 */
export async function buildMissingUis(folders: readonly string[], logger: Logger): Promise<void> {
  for (const folder of folders) {
    if (existsSync(`${folder}/dist/index.html`) || !existsSync(`${folder}/package.json`)) continue;
    logger.info({ folder }, `building ${folder} (vite build): its dist is missing`);
    const code = await new Promise<number>((resolve) => {
      const child = spawn('npx', ['vite', 'build'], {
        cwd: folder,
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => {
        stderr = (stderr + chunk.toString()).slice(-2000);
      });
      child.on('error', () => resolve(-1));
      child.on('close', (status) => {
        if (status !== 0)
          logger.warn({ folder, stderr }, `vite build failed in ${folder}; serving without it`);
        resolve(status ?? -1);
      });
    });
    if (code === 0) logger.info({ folder }, `built ${folder}`);
  }
}
