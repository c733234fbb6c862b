import type { ReactNode } from 'react';
import { formatMinor } from '../../../../ui-shared/src/money.ts';
import { adminApi } from '../../api/admin-api.ts';
import type { Completion } from '../../api/types.ts';
import { DateText } from '../../components/date-text.tsx';
import { ErrorText } from '../../components/error-text.tsx';
import { useSave } from '../../components/use-save.ts';

const AFFECTED = [['completions'], ['users'], ['tasks']] as const;

/** One submission of a manual task: approve pays the reward, reject lets the user try again. */
export function ReviewRow(props: { completion: Completion; currency: string }): ReactNode {
  const { completion, currency } = props;
  const approve = useSave(() => adminApi.completions.approve(completion.id), AFFECTED);
  const reject = useSave(() => adminApi.completions.reject(completion.id), AFFECTED);
  const busy = approve.isPending || reject.isPending;
  return (
    <tr data-testid={`review-row-${completion.id}`}>
      <td>{completion.taskTitle}</td>
      <td>
        {completion.userId}
        <div className="muted">Telegram {completion.telegramId}</div>
      </td>
      <td className="num">{formatMinor(completion.rewardMinor, currency)}</td>
      <td>
        <DateText iso={completion.createdAt} />
      </td>
      <td>
        <span className={`status ${completion.status}`}>{completion.status}</span>
      </td>
      <td>
        {completion.status === 'pending_review' && (
          <div className="actions">
            <button
              type="button"
              disabled={busy}
              onClick={() => approve.mutate(undefined)}
              data-testid={`review-approve-${completion.id}`}
            >
              Approve
            </button>
            <button
              type="button"
              className="danger"
              disabled={busy}
              onClick={() => reject.mutate(undefined)}
              data-testid={`review-reject-${completion.id}`}
            >
              Reject
            </button>
          </div>
        )}
        <ErrorText error={approve.error ?? reject.error} />
      </td>
    </tr>
  );
}
