import { signInitData } from '@hybridstate/telegram';
import { TEST_BOT_TOKEN } from './gateway-fixture.ts';

/** Handshake auth of a Mini App user, signed like Telegram would (`authDate` in ms). */
export function miniAppAuth(
  userId: number,
  options: { authDate?: number; botToken?: string } = {},
): { initData: string } {
  const fields = {
    auth_date: String(Math.floor((options.authDate ?? Date.now()) / 1000)),
    query_id: `q${userId}`,
    user: JSON.stringify({ id: userId, first_name: `User ${userId}` }),
  };
  return { initData: signInitData(fields, options.botToken ?? TEST_BOT_TOKEN) };
}
