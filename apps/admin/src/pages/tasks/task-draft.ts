import { minorToInput, parseAmount } from '../../../../ui-shared/src/money.ts';
import type { Editable } from '../../api/admin-api.ts';
import type { Task, TaskType } from '../../api/types.ts';

/** The form's text fields (numbers stay text until submit, so typing "0." works). */
export interface TaskDraft {
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

/** The form's fields for `task` (empty for a new task), the reward in currency units. */
export function draftOf(task: Task | undefined, currency: string): TaskDraft {
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
export function toBody(draft: TaskDraft, currency: string): Editable<Task> | string {
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
