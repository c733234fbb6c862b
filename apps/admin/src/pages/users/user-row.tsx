import type { ReactNode } from 'react';
import { formatMinor } from '../../../../ui-shared/src/money.ts';
import { adminApi } from '../../api/admin-api.ts';
import type { User } from '../../api/types.ts';
import { ErrorText } from '../../components/error-text.tsx';
import { useSave } from '../../components/use-save.ts';

/** One row of the users table, with ban / unban. */
export function UserRow(props: { user: User; currency: string; onOpen: () => void }): ReactNode {
  const { user, currency } = props;
  const next = user.status === 'active' ? 'banned' : 'active';
  const setStatus = useSave(() => adminApi.users.setStatus(user.id, next), [['users']]);
  return (
    <tr
      data-testid={`user-row-${user.telegramId}`}
      className={user.status === 'banned' ? 'banned' : ''}
    >
      <td>
        <button type="button" className="link" onClick={props.onOpen}>
          {user.firstName}
        </button>
        {user.username && <span className="muted"> @{user.username}</span>}
      </td>
      <td>{user.telegramId}</td>
      <td className="num" data-testid={`user-balance-${user.telegramId}`}>
        {formatMinor(user.balanceMinor, currency)}
      </td>
      <td className="num">{formatMinor(user.heldMinor, currency)}</td>
      <td className="num">{user.completions}</td>
      <td data-testid={`user-status-${user.telegramId}`}>{user.status}</td>
      <td>
        <button
          type="button"
          className={next === 'banned' ? 'danger' : ''}
          disabled={setStatus.isPending}
          onClick={() => setStatus.mutate(undefined)}
        >
          {next === 'banned' ? 'Ban' : 'Unban'}
        </button>
        <ErrorText error={setStatus.error} />
      </td>
    </tr>
  );
}
