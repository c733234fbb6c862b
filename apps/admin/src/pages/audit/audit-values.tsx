import type { ReactNode } from 'react';
import type { AuditEntry } from '../../api/types.ts';
import { auditChanges, showValue } from './audit-changes.ts';

function Json(props: { label: string; value: unknown }): ReactNode {
  if (props.value === null || props.value === undefined) return null;
  return (
    <details>
      <summary>{props.label}</summary>
      <pre className="json">{JSON.stringify(props.value, null, 2)}</pre>
    </details>
  );
}

/** What an audit entry changed: `field: old → new` per changed field, else the raw values. */
export function AuditValues(props: { entry: AuditEntry }): ReactNode {
  const { entry } = props;
  const changes = auditChanges(entry.old, entry.new);
  if (changes === null)
    return (
      <>
        <Json label="old" value={entry.old} />
        <Json label="new" value={entry.new} />
      </>
    );
  if (changes.length === 0) return <span className="muted">no change</span>;
  return (
    <ul className="changes">
      {changes.map((change) => (
        <li key={change.field}>
          <b>{change.field}</b>: {showValue(change.old)} → {showValue(change.new)}
        </li>
      ))}
    </ul>
  );
}
