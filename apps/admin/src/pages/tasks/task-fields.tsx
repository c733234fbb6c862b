import type { ReactNode } from 'react';
import type { TaskType } from '../../api/types.ts';
import { CheckboxField, SelectField, TextAreaField, TextField } from '../../components/fields.tsx';
import type { TaskDraft } from './task-draft.ts';

const TYPES: readonly TaskType[] = ['link', 'quiz', 'manual'];

/** The inputs of a task form: the URL for a link task, question and answer for a quiz. */
export function TaskFields(props: {
  draft: TaskDraft;
  set: (patch: Partial<TaskDraft>) => void;
  id: number | 'new';
  currency: string;
}): ReactNode {
  const { draft, set, id, currency } = props;
  return (
    <>
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
    </>
  );
}
