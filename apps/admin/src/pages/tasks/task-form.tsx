import { type ReactNode, useState } from 'react';
import { adminApi, type Editable } from '../../api/admin-api.ts';
import type { Task, TaskType } from '../../api/types.ts';
import { ErrorText } from '../../components/error-text.tsx';
import { CheckboxField, SelectField, TextAreaField, TextField } from '../../components/fields.tsx';
import { submitHandler } from '../../components/submit-handler.ts';
import { useSave } from '../../components/use-save.ts';
import { minorToInput, parseAmount } from '../../money/money.ts';

const TYPES: readonly TaskType[] = ['link', 'quiz', 'manual'];

/** The form's text fields (numbers stay text until submit, so typing "0." works). */
interface Draft {
  title: string;
  description: string;
  reward: string;
  type: TaskType;
  url: string;
  question: string;
  answer: string;
  maxCompletions: string;
  active: boolean;
}

function draftOf(task: Task | undefined, currency: string): Draft {
  return {
    title: task?.title ?? '',
    description: task?.description ?? '',
    reward: task ? minorToInput(task.rewardMinor, currency) : '',
    type: task?.type ?? 'link',
    url: task?.url ?? '',
    question: task?.question ?? '',
    answer: task?.answer ?? '',
    maxCompletions: task?.maxCompletions == null ? '' : String(task.maxCompletions),
    active: task?.active ?? true,
  };
}

/** The request body from a draft, or what the admin must fix first. */
function toBody(draft: Draft, currency: string): Editable<Task> | string {
  const reward = parseAmount(draft.reward, currency);
  if (!reward.ok) return `Reward: ${reward.message}`;
  const max = draft.maxCompletions.trim();
  if (max !== '' && !/^\d+$/.test(max)) return 'Limit: a whole number, or empty for no limit.';
  const orNull = (text: string) => (text.trim() === '' ? null : text.trim());
  return {
    title: draft.title,
    description: draft.description,
    rewardMinor: reward.minor,
    type: draft.type,
    url: orNull(draft.url),
    question: orNull(draft.question),
    answer: orNull(draft.answer),
    maxCompletions: max === '' ? null : Number(max),
    active: draft.active,
  };
}

/** One task, edited in place; without `task`, the "new task" form. */
export function TaskForm(props: { task?: Task; currency: string }): ReactNode {
  const { task, currency } = props;
  const [draft, setDraft] = useState(() => draftOf(task, currency));
  const [problem, setProblem] = useState<string | null>(null);
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
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
      <div className="row">
        <TextField
          label="Title"
          value={draft.title}
          onChange={(title) => set({ title })}
          testId={`task-title-${id}`}
        />
        <TextField
          label={`Reward (${currency})`}
          value={draft.reward}
          onChange={(reward) => set({ reward })}
          testId={`task-reward-${id}`}
        />
        <SelectField
          label="Type"
          value={draft.type}
          options={TYPES}
          onChange={(type) => set({ type })}
          testId={`task-type-${id}`}
        />
        <TextField
          label="Limit"
          value={draft.maxCompletions}
          placeholder="no limit"
          onChange={(maxCompletions) => set({ maxCompletions })}
        />
        <CheckboxField
          label="Active"
          checked={draft.active}
          onChange={(active) => set({ active })}
        />
      </div>
      <TextAreaField
        label="Description"
        value={draft.description}
        onChange={(description) => set({ description })}
        rows={2}
      />
      <div className="row">
        {draft.type === 'link' && (
          <TextField
            label="URL"
            value={draft.url}
            onChange={(url) => set({ url })}
            testId={`task-url-${id}`}
          />
        )}
        {draft.type === 'quiz' && (
          <>
            <TextField
              label="Question"
              value={draft.question}
              onChange={(question) => set({ question })}
              testId={`task-question-${id}`}
            />
            <TextField
              label="Answer"
              value={draft.answer}
              onChange={(answer) => set({ answer })}
              testId={`task-answer-${id}`}
            />
          </>
        )}
      </div>
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
