import { type ReactNode, useState } from 'react';
import { adminApi } from '../../api/admin-api.ts';
import { ErrorText } from '../../components/error-text.tsx';
import { Pager } from '../../components/pager.tsx';
import { useLiveQuery } from '../../live/use-live-query.ts';
import { useCurrency } from '../../live/use-settings.ts';
import { PayoutRow } from './payout-row.tsx';

const LIMIT = 50;
const STATUSES = ['', 'pending', 'approved', 'declined'] as const;

/** Withdrawal requests: approve to pay out, decline to return the held money. */
export function PayoutsPage(): ReactNode {
  const currency = useCurrency();
  const [status, setStatus] = useState<(typeof STATUSES)[number]>('pending');
  const [offset, setOffset] = useState(0);
  const payouts = useLiveQuery({
    queryKey: ['payouts', { status, offset }],
    queryFn: () => adminApi.payouts.list({ status, offset, limit: LIMIT }),
  });
  return (
    <section>
      <h2>Payouts</h2>
      <div className="row filters">
        <select
          value={status}
          data-testid="payouts-status"
          onChange={(e) => {
            setStatus(e.target.value as typeof status);
            setOffset(0);
          }}
        >
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {s === '' ? 'all' : s}
            </option>
          ))}
        </select>
      </div>
      <ErrorText error={payouts.error} />
      <table data-testid="payouts-table">
        <thead>
          <tr>
            <th>#</th>
            <th>User</th>
            <th className="num">Amount</th>
            <th>Method</th>
            <th>Requested</th>
            <th>Status</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {payouts.data?.items.map((payout) => (
            <PayoutRow key={payout.id} payout={payout} currency={currency} />
          ))}
        </tbody>
      </table>
      {payouts.data && (
        <Pager offset={offset} limit={LIMIT} total={payouts.data.total} onOffset={setOffset} />
      )}
    </section>
  );
}
