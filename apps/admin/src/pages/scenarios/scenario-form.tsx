import { type ReactNode, useState } from 'react';
import { adminApi, type Editable } from '../../api/admin-api.ts';
import type { Scenario } from '../../api/types.ts';
import { ErrorText } from '../../components/error-text.tsx';
import { CheckboxField, TextAreaField, TextField } from '../../components/fields.tsx';
import { useSave } from '../../components/use-save.ts';
import { describeStep, validateSteps } from './steps-validation.ts';

const EXAMPLE = JSON.stringify(
  [
    { type: 'text', text: 'Hello!' },
    { type: 'ask', text: 'Your phone?', field: 'phone', store: 'profile' },
  ],
  null,
  2,
);

/** A scenario: name, command, active, and its steps as validated JSON with a preview. */
export function ScenarioForm(props: { scenario?: Scenario }): ReactNode {
  const { scenario } = props;
  const [name, setName] = useState(scenario?.name ?? '');
  const [command, setCommand] = useState(scenario?.command ?? '');
  const [active, setActive] = useState(scenario?.active ?? true);
  const [stepsJson, setStepsJson] = useState(
    scenario ? JSON.stringify(scenario.steps, null, 2) : EXAMPLE,
  );
  const steps = validateSteps(stepsJson);
  const save = useSave(
    (body: Editable<Scenario>) =>
      scenario ? adminApi.scenarios.update(scenario.id, body) : adminApi.scenarios.create(body),
    [['scenarios']],
  );
  const remove = useSave(() => adminApi.scenarios.remove(scenario?.id ?? 0), [['scenarios']]);
  const id = scenario?.id ?? 'new';
  return (
    <form
      className="card"
      data-testid={`scenario-${id}`}
      onSubmit={(e) => {
        e.preventDefault();
        if (!steps.ok) return;
        const body = {
          name,
          command: command.trim() === '' ? null : command.trim(),
          active,
          steps: steps.steps,
        };
        save.mutate(body);
      }}
    >
      <div className="row">
        <TextField label="Name" value={name} onChange={setName} testId={`scenario-name-${id}`} />
        <TextField
          label="Command (without /)"
          value={command}
          onChange={setCommand}
          placeholder="quiz"
          testId={`scenario-command-${id}`}
        />
        <CheckboxField label="Active" checked={active} onChange={setActive} />
      </div>
      <div className="row steps-row">
        <TextAreaField
          label="Steps (JSON)"
          value={stepsJson}
          onChange={setStepsJson}
          rows={8}
          testId={`scenario-steps-${id}`}
        />
        {steps.ok ? (
          <ol className="steps-preview" start={0}>
            {steps.steps.map((step, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: steps are addressed by index
              <li key={i}>{describeStep(step)}</li>
            ))}
          </ol>
        ) : (
          <ul className="error" data-testid="steps-errors">
            {steps.errors.map((message) => (
              <li key={message}>{message}</li>
            ))}
          </ul>
        )}
      </div>
      <div className="actions">
        <button
          type="submit"
          disabled={!steps.ok || save.isPending}
          data-testid={`scenario-save-${id}`}
        >
          {scenario ? 'Save' : 'Add scenario'}
        </button>
        {scenario && (
          <button type="button" className="danger" onClick={() => remove.mutate(undefined)}>
            Delete
          </button>
        )}
        {scenario && <span className="muted">id {scenario.id}</span>}
        {save.isSuccess && <span className="ok">Saved</span>}
      </div>
      <ErrorText error={save.error ?? remove.error} />
    </form>
  );
}
