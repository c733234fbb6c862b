import type { ReactNode } from 'react';

/** A labelled text input. */
export function TextField(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  testId?: string;
  type?: 'text' | 'email' | 'password' | 'url';
  placeholder?: string;
  required?: boolean;
  autoComplete?: string;
}): ReactNode {
  return (
    <label className="field">
      <span>{props.label}</span>
      <input
        type={props.type ?? 'text'}
        value={props.value}
        placeholder={props.placeholder}
        required={props.required}
        autoComplete={props.autoComplete}
        data-testid={props.testId}
        onChange={(e) => props.onChange(e.target.value)}
      />
    </label>
  );
}

/** A labelled multi-line input. */
export function TextAreaField(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  testId?: string;
  rows?: number;
}): ReactNode {
  return (
    <label className="field">
      <span>{props.label}</span>
      <textarea
        value={props.value}
        rows={props.rows ?? 3}
        data-testid={props.testId}
        onChange={(e) => props.onChange(e.target.value)}
      />
    </label>
  );
}

/** A labelled select over fixed options. */
export function SelectField<T extends string>(props: {
  label: string;
  value: T;
  options: readonly T[];
  onChange: (value: T) => void;
  testId?: string;
}): ReactNode {
  return (
    <label className="field">
      <span>{props.label}</span>
      <select
        value={props.value}
        data-testid={props.testId}
        onChange={(e) => props.onChange(e.target.value as T)}
      >
        {props.options.map((option) => (
          <option key={option} value={option}>
            {option}
          </option>
        ))}
      </select>
    </label>
  );
}

/** A labelled checkbox. */
export function CheckboxField(props: {
  label: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  testId?: string;
}): ReactNode {
  return (
    <label className="field checkbox">
      <input
        type="checkbox"
        checked={props.checked}
        data-testid={props.testId}
        onChange={(e) => props.onChange(e.target.checked)}
      />
      <span>{props.label}</span>
    </label>
  );
}
