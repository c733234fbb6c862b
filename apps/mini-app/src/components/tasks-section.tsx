import type { ReactNode } from 'react';
import { useTasks } from '../live/app-queries.ts';
import { ErrorText } from './error-text.tsx';
import { TaskCard } from './task-card.tsx';

/** The active tasks, not yet completed first. */
export function TasksSection(props: { currency: string }): ReactNode {
  const tasks = useTasks();
  const items = [...(tasks.data?.items ?? [])].sort(
    (a, b) => Number(a.completed) - Number(b.completed),
  );
  return (
    <section>
      <h2>Tasks</h2>
      <ErrorText error={tasks.error} />
      {tasks.data && items.length === 0 && <p className="muted">No tasks right now.</p>}
      <ul className="list">
        {items.map((task) => (
          <TaskCard key={task.id} task={task} currency={props.currency} />
        ))}
      </ul>
    </section>
  );
}
