import { type ReactNode, useState } from 'react';
import { adminApi } from '../../api/admin-api.ts';
import { ErrorText } from '../../components/error-text.tsx';
import { Pager } from '../../components/pager.tsx';
import { useLiveQuery } from '../../live/use-live-query.ts';
import { useCurrency } from '../../live/use-settings.ts';
import { ReviewRow } from './review-row.tsx';

const LIMIT = 50;
const STATUSES = ['pending_review', 'completed'] as const;

/** Submissions of manual tasks: nothing is credited until an admin approves one. */
export function ReviewsPage(): ReactNode {
  const currency = useCurrency();
  const [status, setStatus] = useState<(typeof STATUSES)[number]>('pending_review');
  const [offset, setOffset] = useState(0);
  const completions = useLiveQuery({
    queryKey: ['completions', { status, offset }],
    queryFn: () => adminApi.completions.list({ status, offset, limit: LIMIT }),
  });
  return (
    <section>
      <h2>Reviews</h2>
      <div className="row filters">
        <select
          value={status}
          data-testid="reviews-status"
          onChange={(e) => {
            setStatus(e.target.value as typeof status);
            setOffset(0);
          }}
        >
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {s === 'pending_review' ? 'waiting for review' : 'approved'}
            </option>
          ))}
        </select>
      </div>
      <ErrorText error={completions.error} />
      <table data-testid="reviews-table">
        <thead>
          <tr>
            <th>Task</th>
            <th>User</th>
            <th className="num">Reward</th>
            <th>Submitted</th>
            <th>Status</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {completions.data?.items.map((completion) => (
            <ReviewRow key={completion.id} completion={completion} currency={currency} />
          ))}
        </tbody>
      </table>
      {completions.data && (
        <Pager offset={offset} limit={LIMIT} total={completions.data.total} onOffset={setOffset} />
      )}
    </section>
  );
}
