import { type ReactNode, useState } from 'react';
import { adminApi } from '../../api/admin-api.ts';
import { DateText } from '../../components/date-text.tsx';
import { ErrorText } from '../../components/error-text.tsx';
import { Pager } from '../../components/pager.tsx';
import { useLiveQuery } from '../../live/use-live-query.ts';
import { AuditValues } from './audit-values.tsx';

const LIMIT = 50;

/** Every admin change and denied attempt, newest first: who, what, old and new values. */
export function AuditPage(): ReactNode {
  const [offset, setOffset] = useState(0);
  const audit = useLiveQuery({
    queryKey: ['audit', offset],
    queryFn: () => adminApi.audit({ offset, limit: LIMIT }),
  });
  return (
    <section>
      <h2>Audit log</h2>
      <ErrorText error={audit.error} />
      <table data-testid="audit-table">
        <thead>
          <tr>
            <th>When</th>
            <th>Who</th>
            <th>Action</th>
            <th>Entity</th>
            <th>Change</th>
            <th>Outcome</th>
          </tr>
        </thead>
        <tbody>
          {audit.data?.items.map((entry) => (
            <tr key={entry.id} className={entry.outcome === 'denied' ? 'denied' : ''}>
              <td>
                <DateText iso={entry.createdAt} />
              </td>
              <td>
                {entry.adminEmail}
                {entry.ip && <div className="muted">{entry.ip}</div>}
              </td>
              <td>{entry.action}</td>
              <td>
                {entry.entity}
                {entry.entityId !== null && ` #${entry.entityId}`}
              </td>
              <td>
                <AuditValues entry={entry} />
              </td>
              <td>{entry.outcome}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {audit.data && (
        <Pager offset={offset} limit={LIMIT} total={audit.data.total} onOffset={setOffset} />
      )}
    </section>
  );
}
