import type { FormEvent } from 'react';

/** An `onSubmit` handler that keeps the browser from navigating and runs `action`. */
export function submitHandler(action: () => void): (event: FormEvent) => void {
  return (event) => {
    event.preventDefault();
    action();
  };
}
