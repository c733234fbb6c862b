import type { ReactNode } from 'react';
import { adminApi } from '../../api/admin-api.ts';
import { ErrorText } from '../../components/error-text.tsx';
import { useLiveQuery } from '../../live/use-live-query.ts';
import { ButtonForm } from './button-form.tsx';

/** The bot's main keyboard: every button, editable in place, in keyboard order. */
export function ButtonsPage(): ReactNode {
  const buttons = useLiveQuery({
    queryKey: ['buttons'],
    queryFn: () => adminApi.buttons.list({ limit: 200 }),
  });
  const items = buttons.data?.items ?? [];
  const nextPosition = items.reduce((max, b) => Math.max(max, b.position + 1), 0);
  return (
    <section>
      <h2>Buttons</h2>
      <p className="muted">
        The bot's main keyboard. The bot drops its cached keyboard on every change.
      </p>
      <ErrorText error={buttons.error} />
      {buttons.data?.items.length === 0 && (
        <p className="muted">No buttons yet: add the first one below.</p>
      )}
      {items.map((button) => (
        // A new server version remounts the row, so its draft shows what is stored now.
        <ButtonForm key={`${button.id}:${button.updatedAt}`} button={button} />
      ))}
      <h3>New button</h3>
      <ButtonForm key="new" nextPosition={nextPosition} />
    </section>
  );
}
