import { createHash } from 'node:crypto';
import { readTelegramOptions } from '@hybridstate/telegram';

/** The platform's part of the environment. */
export interface PlatformEnv {
  /** `BOT_TOKEN`: talk to Telegram; without it the bot serves the playground only. */
  readonly botToken: string | undefined;
  /** `TELEGRAM_API_ROOT`: a self-hosted Bot API server or an emulator. @default Telegram's */
  readonly telegramApiRoot: string | undefined;
  /** `WEBHOOK_URL`: the public origin Telegram posts to (webhook mode); else long polling. */
  readonly webhookUrl: string | undefined;
  /** `WEBHOOK_SECRET`, or one derived from the token (every instance derives the same). */
  readonly webhookSecret: string | undefined;
  /** `ADMIN_EMAIL` (default `admin@localhost`) and `ADMIN_PASSWORD` of the first admin. */
  readonly adminEmail: string;
  readonly adminPassword: string | undefined;
  /** `PUBLIC_URL`, else `WEBHOOK_URL`, else `http://localhost:<port>`. */
  readonly publicUrl: string;
  /** `PLATFORM_SCHEMA` (default `platform`). */
  readonly schema: string;
  /** `BUILD_UI=0` skips building missing UIs at startup. */
  readonly buildUis: boolean;
}

/** Read the platform's variables (apps read the environment; packages never do). */
export function readPlatformEnv(
  env: Readonly<Record<string, string | undefined>>,
  port: number,
): PlatformEnv {
  const value = (name: string) => {
    const v = env[name]?.trim();
    return v === undefined || v === '' ? undefined : v;
  };
  const botToken = value('BOT_TOKEN');
  const webhookUrl = value('WEBHOOK_URL')?.replace(/\/+$/, '');
  if (webhookUrl !== undefined && botToken === undefined)
    throw new Error(
      'WEBHOOK_URL is set but BOT_TOKEN is not: set BOT_TOKEN, or unset WEBHOOK_URL.',
    );
  return {
    botToken,
    telegramApiRoot: readTelegramOptions(env).apiRoot,
    webhookUrl,
    webhookSecret:
      value('WEBHOOK_SECRET') ??
      (botToken === undefined
        ? undefined
        : createHash('sha256').update(`webhook:${botToken}`).digest('base64url')),
    adminEmail: (value('ADMIN_EMAIL') ?? 'admin@localhost').toLowerCase(),
    adminPassword: value('ADMIN_PASSWORD'),
    publicUrl: (value('PUBLIC_URL') ?? webhookUrl ?? `http://localhost:${port}`).replace(
      /\/+$/,
      '',
    ),
    schema: value('PLATFORM_SCHEMA') ?? 'platform',
    buildUis: value('BUILD_UI') !== '0',
  };
}
