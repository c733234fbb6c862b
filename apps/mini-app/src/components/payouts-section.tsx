import type { ReactNode } from 'react';
import { formatMinor } from '../../../ui-shared/src/money.ts';
import { usePayouts } from '../live/app-queries.ts';
import { ErrorText } from './error-text.tsx';

const STATUS_TEXT = { pending: 'pending', approved: 'approved ✓', declined: 'declined' } as const;

/** This user's payout requests and their status, live. */
export function PayoutsSection(props: { currency: string }): ReactNode {
  const payouts = usePayouts();
  const items = payouts.data?.items ?? [];
  return (
    <section>
      <h2>Payouts</h2>
      <ErrorText error={payouts.error} />
      {payouts.data && items.length === 0 && <p className="muted">No payout requests yet.</p>}
      <ul className="list">
        {items.map((payout) => (
          <li key={payout.id} className="card payout" data-testid={`payout-${payout.id}`}>
            <span>
              {formatMinor(payout.amountMinor, props.currency)} · {payout.method}
            </span>
            <span className={`status ${payout.status}`} data-testid={`payout-status-${payout.id}`}>
              {STATUS_TEXT[payout.status]}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
