import type { ReactNode } from 'react';
import { adminApi } from '../../api/admin-api.ts';
import type { ButtonAction } from '../../api/types.ts';
import { TextField } from '../../components/fields.tsx';
import { useLiveQuery } from '../../live/use-live-query.ts';

/** A scenario picked by name; the button's payload is the scenario's id. */
function ScenarioSelect(props: {
  value: string | null;
  onChange: (payload: string | null) => void;
  testId: string;
}): ReactNode {
  const scenarios = useLiveQuery({
    queryKey: ['scenarios'],
    queryFn: () => adminApi.scenarios.list({ limit: 200 }),
  });
  return (
    <label className="field">
      <span>Scenario</span>
      <select
        value={props.value ?? ''}
        data-testid={props.testId}
        onChange={(e) => props.onChange(e.target.value === '' ? null : e.target.value)}
      >
        <option value="">— pick a scenario —</option>
        {scenarios.data?.items.map((scenario) => (
          <option key={scenario.id} value={String(scenario.id)}>
            {scenario.name}
            {scenario.active ? '' : ' (inactive)'}
          </option>
        ))}
      </select>
    </label>
  );
}

/** The payload input each action needs: a scenario, a URL, or nothing. */
export function PayloadField(props: {
  action: ButtonAction;
  value: string | null;
  onChange: (payload: string | null) => void;
  testId: string;
}): ReactNode {
  if (props.action === 'scenario') return <ScenarioSelect {...props} />;
  if (props.action === 'link')
    return (
      <TextField
        label="URL"
        type="url"
        value={props.value ?? ''}
        placeholder="https://…"
        onChange={(url) => props.onChange(url === '' ? null : url)}
        testId={props.testId}
      />
    );
  return (
    <label className="field">
      <span>Payload</span>
      <input value="" disabled placeholder="not used" data-testid={props.testId} />
    </label>
  );
}
