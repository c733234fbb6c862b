import type { ReactNode } from 'react';
import { formatMinor } from '../../../../ui-shared/src/money.ts';
import { adminApi } from '../../api/admin-api.ts';
import { DateText } from '../../components/date-text.tsx';
import { ErrorText } from '../../components/error-text.tsx';
import { useLiveQuery } from '../../live/use-live-query.ts';

/** One user's ledger: every balance change, newest as the server orders them. */
export function UserDetail(props: {
  userId: number;
  currency: string;
  onClose: () => void;
}): ReactNode {
  const detail = useLiveQuery({
    queryKey: ['users', props.userId],
    queryFn: () => adminApi.users.get(props.userId),
  });
  const user = detail.data?.user;
  return (
    <aside className="card" data-testid="user-detail">
      <div className="actions">
        <h3>{user ? `${user.firstName} (${user.telegramId})` : `User ${props.userId}`}</h3>
        <button type="button" onClick={props.onClose}>
          Close
        </button>
      </div>
      <ErrorText error={detail.error} />
      {user && (
        <p>
          Balance <b>{formatMinor(user.balanceMinor, props.currency)}</b>, held{' '}
          {formatMinor(user.heldMinor, props.currency)}, {user.completions} completions.
        </p>
      )}
      <table>
        <thead>
          <tr>
            <th>When</th>
            <th>Kind</th>
            <th className="num">Amount</th>
            <th>Reference</th>
          </tr>
        </thead>
        <tbody>
          {detail.data?.ledger.map((entry) => (
            <tr key={entry.id}>
              <td>
                <DateText iso={entry.createdAt} />
              </td>
              <td>{entry.kind}</td>
              <td className="num">{formatMinor(entry.amountMinor, props.currency)}</td>
              <td>{entry.ref ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </aside>
  );
}
