import { type ReactNode, useState } from 'react';
import { adminApi } from '../../api/admin-api.ts';
import { ErrorText } from '../../components/error-text.tsx';
import { Pager } from '../../components/pager.tsx';
import { useLiveQuery } from '../../live/use-live-query.ts';
import { useCurrency } from '../../live/use-settings.ts';
import { UserDetail } from './user-detail.tsx';
import { UserRow } from './user-row.tsx';

const LIMIT = 50;

/** Everyone who started the bot: balances move live as tasks are completed and paid out. */
export function UsersPage(): ReactNode {
  const currency = useCurrency();
  const [status, setStatus] = useState<'' | 'active' | 'banned'>('');
  const [q, setQ] = useState('');
  const [offset, setOffset] = useState(0);
  const [openId, setOpenId] = useState<number | null>(null);
  const users = useLiveQuery({
    queryKey: ['users', 'list', { status, q, offset }],
    queryFn: () => adminApi.users.list({ status, q, offset, limit: LIMIT }),
  });
  return (
    <section>
      <h2>Users</h2>
      <div className="row filters">
        <input
          placeholder="Search name or username"
          value={q}
          onChange={(e) => {
            setQ(e.target.value);
            setOffset(0);
          }}
          data-testid="users-search"
        />
        <select
          value={status}
          onChange={(e) => {
            setStatus(e.target.value as typeof status);
            setOffset(0);
          }}
        >
          <option value="">all</option>
          <option value="active">active</option>
          <option value="banned">banned</option>
        </select>
      </div>
      <ErrorText error={users.error} />
      <table data-testid="users-table">
        <thead>
          <tr>
            <th>Name</th>
            <th>Telegram id</th>
            <th className="num">Balance</th>
            <th className="num">Held</th>
            <th className="num">Completions</th>
            <th>Status</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {users.data?.items.map((user) => (
            <UserRow
              key={user.id}
              user={user}
              currency={currency}
              onOpen={() => setOpenId(user.id)}
            />
          ))}
        </tbody>
      </table>
      {users.data && (
        <Pager offset={offset} limit={LIMIT} total={users.data.total} onOffset={setOffset} />
      )}
      {openId !== null && (
        <UserDetail userId={openId} currency={currency} onClose={() => setOpenId(null)} />
      )}
    </section>
  );
}
