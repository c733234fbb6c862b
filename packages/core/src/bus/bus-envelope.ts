/**
 * The wire format of a bus message on Redis: the publishing bus's `instanceId`, a newline,
 * then the payload as given. Instance ids never contain a newline, so the first one splits.
 */

/** Wrap `payload` with its origin. */
export function wrapEnvelope(origin: string, payload: string): string {
  return `${origin}\n${payload}`;
}

/**
 * Split a raw message into origin and payload. A message without an origin (published by
 * hand, e.g. with redis-cli) is delivered with origin `''`.
 */
export function unwrapEnvelope(raw: string): { origin: string; payload: string } {
  const newline = raw.indexOf('\n');
  return newline < 0
    ? { origin: '', payload: raw }
    : { origin: raw.slice(0, newline), payload: raw.slice(newline + 1) };
}
