import { type Env, HybridStateError } from '@hybridstate/core';

/** How the bot reaches Telegram. */
export interface TelegramOptions {
  /** `BOT_TOKEN`; without it a bot can only run offline (a demo, a playground). */
  readonly token: string | undefined;
  /**
   * `TELEGRAM_API_ROOT`: a self-hosted Bot API server or an emulator, for example
   * `http://localhost:8081`. @default grammY's `https://api.telegram.org`
   */
  readonly apiRoot: string | undefined;
}

/**
 * Read `BOT_TOKEN` and `TELEGRAM_API_ROOT` from the environment an app passes in (packages
 * never read the process environment themselves). Every bot of the project uses it. A
 * malformed root stops the start with `HS_CONFIG_INVALID` naming the variable.
 */
export function readTelegramOptions(env: Env): TelegramOptions {
  const token = env.BOT_TOKEN?.trim() || undefined;
  const apiRoot = env.TELEGRAM_API_ROOT?.trim() || undefined;
  if (apiRoot !== undefined && !/^https?:\/\/[^\s/]+/.test(apiRoot)) {
    throw new HybridStateError(
      'HS_CONFIG_INVALID',
      `TELEGRAM_API_ROOT must be an http(s) URL such as http://localhost:8081, got "${apiRoot}".`,
      { context: { variable: 'TELEGRAM_API_ROOT' } },
    );
  }
  return { token, apiRoot: apiRoot?.replace(/\/+$/, '') };
}
