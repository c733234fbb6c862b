import type { ReactNode } from 'react';
import { adminApi } from '../../api/admin-api.ts';
import { ErrorText } from '../../components/error-text.tsx';
import { useLiveQuery } from '../../live/use-live-query.ts';
import { ScenarioForm } from './scenario-form.tsx';

/** Scripted conversations, started by a button or a command. */
export function ScenariosPage(): ReactNode {
  const scenarios = useLiveQuery({
    queryKey: ['scenarios'],
    queryFn: () => adminApi.scenarios.list({ limit: 200 }),
  });
  return (
    <section>
      <h2>Scenarios</h2>
      <p className="muted">
        Steps run in order: <code>text</code> says something, <code>ask</code> stores the answer in
        the user's session or profile, <code>goto</code> jumps to a step (counted from 0).
      </p>
      <ErrorText error={scenarios.error} />
      {scenarios.data?.items.length === 0 && (
        <p className="muted">No scenarios yet: add the first one below.</p>
      )}
      {scenarios.data?.items.map((scenario) => (
        <ScenarioForm key={`${scenario.id}:${scenario.updatedAt}`} scenario={scenario} />
      ))}
      <h3>New scenario</h3>
      <ScenarioForm key="new" />
    </section>
  );
}
