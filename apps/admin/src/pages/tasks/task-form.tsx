import { type ReactNode, useState } from 'react';
import { adminApi, type Editable } from '../../api/admin-api.ts';
import type { Task } from '../../api/types.ts';
import { ErrorText } from '../../components/error-text.tsx';
import { submitHandler } from '../../components/submit-handler.ts';
import { useSave } from '../../components/use-save.ts';
import { draftOf, type TaskDraft, toBody } from './task-draft.ts';
import { TaskFields } from './task-fields.tsx';

/** One task, edited in place; without `task`, the "new task" form. */
export function TaskForm(props: { task?: Task; currency: string }): ReactNode {
  const { task, currency } = props;
  const [draft, setDraft] = useState(() => draftOf(task, currency));
  const [problem, setProblem] = useState<string | null>(null);
  const set = (patch: Partial<TaskDraft>) => setDraft((d) => ({ ...d, ...patch }));
  const save = useSave(
    (body: Editable<Task>) =>
      task ? adminApi.tasks.update(task.id, body) : adminApi.tasks.create(body),
    [['tasks']],
  );
  const remove = useSave(() => adminApi.tasks.remove(task?.id ?? 0), [['tasks']]);
  const id = task?.id ?? 'new';
  const submit = () => {
    const body = toBody(draft, currency);
    setProblem(typeof body === 'string' ? body : null);
    if (typeof body !== 'string')
      save.mutate(body, {
        onSuccess: () => (task ? undefined : setDraft(draftOf(undefined, currency))),
      });
  };
  return (
    <form className="card" data-testid={`task-${id}`} onSubmit={submitHandler(() => submit())}>
      <TaskFields draft={draft} set={set} id={id} currency={currency} />
      <div className="actions">
        <button type="submit" disabled={save.isPending} data-testid={`task-save-${id}`}>
          {task ? 'Save' : 'Add task'}
        </button>
        {task && (
          <button type="button" className="danger" onClick={() => remove.mutate(undefined)}>
            Delete
          </button>
        )}
        {task && <span className="muted">completed {task.completions} times</span>}
        {save.isSuccess && <span className="ok">Saved</span>}
      </div>
      {problem && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
      <ErrorText error={save.error ?? remove.error} />
    </form>
  );
}
