/** A live identity session as the application sees it. The id itself is never stored. */
export interface Session<D = Record<string, unknown>> {
  readonly userId: string;
  /** The application context the session belongs to; always the stack's own. */
  readonly context: string;
  readonly data: D;
  readonly expiresAt: Date;
}

/** A session just created or rotated: the only moment its id is known. */
export interface IssuedSession<D = Record<string, unknown>> {
  /** Give this to the client (cookie, header); it is not stored anywhere. */
  readonly id: string;
  readonly session: Session<D>;
}

/** A session row as read from PostgreSQL. */
export interface SessionRow {
  readonly user_id: string;
  readonly session_data: unknown;
  readonly version: string | number;
  readonly expires_at: Date | string;
}
