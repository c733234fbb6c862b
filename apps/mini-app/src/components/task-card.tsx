import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { formatMinor } from '../../../ui-shared/src/money.ts';
import { useAppApi } from '../api/app-api-context.tsx';
import type { AppTask } from '../api/types.ts';
import { QUERY_KEYS } from '../live/app-queries.ts';
import { openLink } from '../telegram/launch-data.ts';
import { ErrorText } from './error-text.tsx';
import { submitHandler } from './submit-handler.ts';

/** How the user completes a task of each type. */
function CompleteControls(props: {
  task: AppTask;
  busy: boolean;
  onComplete: (answer?: string) => void;
}): ReactNode {
  const { task, busy } = props;
  const [answer, setAnswer] = useState('');
  if (task.type === 'quiz')
    return (
      <form className="inline" onSubmit={submitHandler(() => props.onComplete(answer))}>
        <input
          value={answer}
          onChange={(e) => setAnswer(e.target.value)}
          placeholder="Your answer"
          data-testid={`task-answer-${task.id}`}
        />
        <button
          type="submit"
          disabled={busy || answer.trim() === ''}
          data-testid={`task-submit-${task.id}`}
        >
          Answer
        </button>
      </form>
    );
  return (
    <div className="inline">
      {task.type === 'link' && task.url && (
        <button type="button" className="secondary" onClick={() => openLink(task.url ?? '')}>
          Open link
        </button>
      )}
      <button
        type="button"
        disabled={busy}
        onClick={() => props.onComplete()}
        data-testid={`task-done-${task.id}`}
      >
        {task.type === 'manual' ? 'Submit for review' : 'Done'}
      </button>
    </div>
  );
}

/** One task: its reward, and completing it (link → Done, quiz → answer, manual → review). */
export function TaskCard(props: { task: AppTask; currency: string }): ReactNode {
  const { task, currency } = props;
  const api = useAppApi();
  const queryClient = useQueryClient();
  const complete = useMutation({
    mutationFn: (answer?: string) => api.complete(task.id, answer),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: QUERY_KEYS.tasks });
      await queryClient.invalidateQueries({ queryKey: QUERY_KEYS.me });
    },
  });
  const pending = complete.data?.status === 'pending_review';
  return (
    <li className="card task" data-testid={`task-${task.id}`}>
      <div className="task-head">
        <b>{task.title}</b>
        <span className="reward">+{formatMinor(task.rewardMinor, currency)}</span>
      </div>
      {task.description && <p className="muted">{task.description}</p>}
      {task.type === 'quiz' && task.question && <p>{task.question}</p>}
      {task.completed ? (
        <p className="ok" data-testid={`task-completed-${task.id}`}>
          ✓ Completed
        </p>
      ) : pending ? (
        <p className="muted">Sent for review: the reward arrives when an admin accepts it.</p>
      ) : (
        <CompleteControls
          task={task}
          busy={complete.isPending}
          onComplete={(answer) => complete.mutate(answer)}
        />
      )}
      <ErrorText error={complete.error} testId={`task-error-${task.id}`} />
    </li>
  );
}
