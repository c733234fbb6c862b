import { signInitData } from '@hybridstate/telegram';

/**
 * The Mini App's address for a test user, with `initData` signed by `secret` (the bot token,
 * or the playground secret) in the fragment, as Telegram opens it: `/app/#tgWebAppData=...`.
 */
export function miniAppLink(
  user: { id: number; firstName: string; username?: string | undefined },
  secret: string,
  now = Date.now(),
): string {
  const initData = signInitData(
    {
      auth_date: String(Math.floor(now / 1000)),
      query_id: `playground-${user.id}`,
      user: JSON.stringify({
        id: user.id,
        first_name: user.firstName,
        ...(user.username === undefined ? {} : { username: user.username }),
      }),
    },
    secret,
  );
  return `/app/#tgWebAppData=${encodeURIComponent(initData)}`;
}
