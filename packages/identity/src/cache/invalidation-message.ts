/** What one bus message tells other instances to drop from their L1. */
export interface InvalidationMessage {
  /** Exact entries: [cache name, key]. */
  readonly keys?: readonly (readonly [string, string])[];
  /** Every key of a cache starting with a prefix: [cache name, prefix]. */
  readonly prefix?: readonly [string, string];
  /** Every entry with this tag. */
  readonly tag?: string;
}

/** Parse a bus payload; anything malformed is ignored (a bus is not trusted to be well-formed). */
export function parseInvalidation(payload: string): InvalidationMessage | undefined {
  try {
    const message = JSON.parse(payload) as InvalidationMessage;
    return typeof message === 'object' && message !== null ? message : undefined;
  } catch {
    return undefined;
  }
}
