import { type ReactNode, useState } from 'react';
import { formatMinor } from '../../../../ui-shared/src/money.ts';
import { adminApi } from '../../api/admin-api.ts';
import type { Payout } from '../../api/types.ts';
import { DateText } from '../../components/date-text.tsx';
import { ErrorText } from '../../components/error-text.tsx';
import { useSave } from '../../components/use-save.ts';

const AFFECTED = [['payouts'], ['users']] as const;

/** One payout request; pending ones can be approved, or declined with a reason. */
export function PayoutRow(props: { payout: Payout; currency: string }): ReactNode {
  const { payout, currency } = props;
  const [reason, setReason] = useState('');
  const approve = useSave(() => adminApi.payouts.approve(payout.id), AFFECTED);
  const decline = useSave(
    () => adminApi.payouts.decline(payout.id, reason.trim() || undefined),
    AFFECTED,
  );
  const busy = approve.isPending || decline.isPending;
  return (
    <tr data-testid={`payout-row-${payout.id}`}>
      <td>{payout.id}</td>
      <td>{payout.userId}</td>
      <td className="num">{formatMinor(payout.amountMinor, currency)}</td>
      <td>
        {payout.method}
        <div className="muted">{payout.details}</div>
      </td>
      <td>
        <DateText iso={payout.createdAt} />
      </td>
      <td>
        <span data-testid={`payout-status-${payout.id}`} className={`status ${payout.status}`}>
          {payout.status}
        </span>
        {payout.decidedBy && <div className="muted">by {payout.decidedBy}</div>}
        {payout.decidedAt && <DateText iso={payout.decidedAt} />}
      </td>
      <td>
        {payout.status === 'pending' && (
          <div className="actions">
            <button
              type="button"
              disabled={busy}
              onClick={() => approve.mutate(undefined)}
              data-testid={`payout-approve-${payout.id}`}
            >
              Approve
            </button>
            <input
              placeholder="reason (optional)"
              value={reason}
              onChange={(e) => setReason(e.target.value)}
            />
            <button
              type="button"
              className="danger"
              disabled={busy}
              onClick={() => decline.mutate(undefined)}
              data-testid={`payout-decline-${payout.id}`}
            >
              Decline
            </button>
          </div>
        )}
        <ErrorText error={approve.error ?? decline.error} />
      </td>
    </tr>
  );
}
