import { z } from 'zod';
import { toIso, toNumber } from '../platform/platform-db.ts';
import type { EntityTable } from './entity-service.ts';

/** A task users complete for a reward. `answer` is for admins only. */
export interface Task {
  readonly id: number;
  readonly title: string;
  readonly description: string;
  readonly rewardMinor: number;
  readonly type: 'link' | 'quiz' | 'manual';
  readonly url: string | null;
  readonly question: string | null;
  readonly answer: string | null;
  readonly maxCompletions: number | null;
  readonly completions: number;
  readonly active: boolean;
  readonly updatedAt: string;
}

/** A task as a user sees it: no answer. */
export type PublicTask = Omit<Task, 'answer'>;

const shape = z.object({
  title: z.string().trim().min(1).max(200),
  description: z.string().max(4000).default(''),
  rewardMinor: z.number().int().min(0).max(1_000_000_000),
  type: z.enum(['link', 'quiz', 'manual']),
  url: z.string().trim().max(2000).nullable().default(null),
  question: z.string().trim().max(1000).nullable().default(null),
  answer: z.string().trim().max(200).nullable().default(null),
  maxCompletions: z.number().int().min(1).max(100_000_000).nullable().default(null),
  active: z.boolean().default(true),
});

type TaskInput = z.output<typeof shape>;

function refine(input: TaskInput): string | undefined {
  if (input.type === 'link' && !/^https?:\/\/\S+$/.test(input.url ?? ''))
    return 'url: a link task needs an http(s) URL';
  if (input.type === 'quiz' && (!input.question || !input.answer))
    return 'question and answer: a quiz task needs both';
  return undefined;
}

/** The `tasks` table. */
export const tasksTable: EntityTable<Task, TaskInput> = {
  name: 'tasks',
  singular: 'task',
  shape,
  refine,
  columns: {
    title: 'title',
    description: 'description',
    rewardMinor: 'reward_minor',
    type: 'type',
    url: 'url',
    question: 'question',
    answer: 'answer',
    maxCompletions: 'max_completions',
    active: 'active',
  },
  orderBy: 'id',
  fromRow: (row) => ({
    id: Number(row.id),
    title: String(row.title),
    description: String(row.description ?? ''),
    rewardMinor: toNumber(row.reward_minor),
    type: row.type as Task['type'],
    url: (row.url as string | null) ?? null,
    question: (row.question as string | null) ?? null,
    answer: (row.answer as string | null) ?? null,
    maxCompletions: row.max_completions === null ? null : Number(row.max_completions),
    completions: Number(row.completions),
    active: row.active === true,
    updatedAt: toIso(row.updated_at)!,
  }),
  toInput: (t) => ({
    title: t.title,
    description: t.description,
    rewardMinor: t.rewardMinor,
    type: t.type,
    url: t.url,
    question: t.question,
    answer: t.answer,
    maxCompletions: t.maxCompletions,
    active: t.active,
  }),
};

/** Drop the answer before a task reaches a user. */
export function publicTask({ answer: _answer, ...task }: Task): PublicTask {
  return task;
}
