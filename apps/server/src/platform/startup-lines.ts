import type { Logger } from '@hybridstate/core';
import type { StartedPlatform } from './start-platform.ts';

/** Log where everything is and how the first admin signs in. */
export function logPlatformStartup(
  logger: Logger,
  started: StartedPlatform,
  origin: string,
  botLine: string,
): void {
  const [admin, app] = ['/admin/', '/app/'].map((prefix) => {
    const state = started.uis.find((ui) => ui.prefix === prefix)?.state ?? 'missing';
    const note =
      state === 'built'
        ? ''
        : state === 'building'
          ? ' (building in the background, ready in a minute)'
          : ' (not built: run npx vite build in its folder)';
    return `${origin}${prefix}${note}`;
  }) as [string, string];
  logger.info(
    { admin, miniApp: app },
    `admin panel: ${admin}   Mini App: ${app}   sync: ${origin}/sync`,
  );
  logger.info({ bot: botLine }, botLine);
  const { firstAdmin } = started;
  if (firstAdmin.generatedPassword !== undefined)
    logger.warn(
      { email: firstAdmin.email },
      `first admin created: sign in as ${firstAdmin.email} with password ${firstAdmin.generatedPassword} (shown once; set ADMIN_PASSWORD to choose it)`,
    );
  else
    logger.info(
      { email: firstAdmin.email },
      firstAdmin.fromEnvironment
        ? `admin: sign in as ${firstAdmin.email} with ADMIN_PASSWORD`
        : `admin: sign in as ${firstAdmin.email} (password printed at the first start; set ADMIN_PASSWORD to reset it)`,
    );
}
