import type { Logger } from '@hybridstate/core';
import type { SyncService } from '@hybridstate/sync';
import type { Api } from 'grammy';
import type { SettingsService } from '../services/settings-service.ts';
import { formatMoney } from './money.ts';

/**
 * Tell a user in Telegram when an admin decides their payout. Only the instance that
 * published the event sends (`meta.local`), so a fleet sends one message, not one each.
 */
export function sendPayoutNotices(
  sync: SyncService,
  api: Api,
  settings: SettingsService,
  logger: Logger,
) {
  const notify = async (telegramId: number, text: string) => {
    try {
      await api.sendMessage(telegramId, text);
    } catch (error) {
      logger.warn({ err: error, telegramId }, 'could not tell the user about their payout');
    }
  };
  return sync.on('payouts.*', async (event, meta) => {
    if (!meta.local || (event.type !== 'payouts.approved' && event.type !== 'payouts.declined'))
      return;
    const { currency } = await settings.get();
    const amount = formatMoney(Number(event.data.amount ?? 0), currency);
    await notify(
      Number(event.data.userId),
      event.type === 'payouts.approved'
        ? `Your payout of ${amount} was approved and is on its way.`
        : `Your payout of ${amount} was declined; the money is back on your balance.`,
    );
  });
}
