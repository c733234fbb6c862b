import type { ReactNode } from 'react';
import { errorMessage } from '../../../ui-shared/src/api-error.ts';

/** The server's `error.message` (or a network error) for a failed call. */
export function ErrorText(props: { error: unknown; testId?: string }): ReactNode {
  if (props.error === null || props.error === undefined) return null;
  return (
    <p className="error" role="alert" data-testid={props.testId ?? 'error'}>
      {errorMessage(props.error)}
    </p>
  );
}
