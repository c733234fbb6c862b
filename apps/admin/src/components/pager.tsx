import type { ReactNode } from 'react';

/** Previous / next over a paginated list (`offset`, `limit`, `total` of the API). */
export function Pager(props: {
  offset: number;
  limit: number;
  total: number;
  onOffset: (offset: number) => void;
}): ReactNode {
  const { offset, limit, total } = props;
  const last = Math.min(offset + limit, total);
  return (
    <div className="pager">
      <button
        type="button"
        disabled={offset === 0}
        onClick={() => props.onOffset(Math.max(0, offset - limit))}
      >
        ← Previous
      </button>
      <span>{total === 0 ? 'nothing yet' : `${offset + 1}–${last} of ${total}`}</span>
      <button type="button" disabled={last >= total} onClick={() => props.onOffset(offset + limit)}>
        Next →
      </button>
    </div>
  );
}
