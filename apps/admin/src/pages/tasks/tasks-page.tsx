import type { ReactNode } from 'react';
import { adminApi } from '../../api/admin-api.ts';
import { ErrorText } from '../../components/error-text.tsx';
import { useLiveQuery } from '../../live/use-live-query.ts';
import { useCurrency } from '../../live/use-settings.ts';
import { TaskForm } from './task-form.tsx';

/** Tasks users complete for a reward: visit a link, answer a quiz, or manual review. */
export function TasksPage(): ReactNode {
  const currency = useCurrency();
  const tasks = useLiveQuery({
    queryKey: ['tasks'],
    queryFn: () => adminApi.tasks.list({ limit: 200 }),
  });
  return (
    <section>
      <h2>Tasks</h2>
      <ErrorText error={tasks.error} />
      {tasks.data?.items.length === 0 && (
        <p className="muted">No tasks yet: add the first one below.</p>
      )}
      {tasks.data?.items.map((task) => (
        <TaskForm
          key={`${task.id}:${task.updatedAt}:${currency}`}
          task={task}
          currency={currency}
        />
      ))}
      <h3>New task</h3>
      <TaskForm key={`new:${currency}`} currency={currency} />
    </section>
  );
}
