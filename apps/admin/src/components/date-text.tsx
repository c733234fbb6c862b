import type { ReactNode } from 'react';

/** An ISO time as the browser's local date and time (the ISO string on hover). */
export function DateText(props: { iso: string | null | undefined }): ReactNode {
  if (!props.iso) return <span className="muted">—</span>;
  const date = new Date(props.iso);
  return (
    <time dateTime={props.iso} title={props.iso}>
      {date.toLocaleString()}
    </time>
  );
}
