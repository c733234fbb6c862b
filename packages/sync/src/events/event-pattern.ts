import { SyncError } from '../errors.ts';

/** Longest event name or pattern, in characters. */
export const MAX_EVENT_NAME_LENGTH = 100;

const SEGMENT = '[A-Za-z][A-Za-z0-9_]*';
const NAME = new RegExp(`^${SEGMENT}(?:\\.${SEGMENT})+$`);
const DOMAIN_WILDCARD = new RegExp(`^${SEGMENT}\\.\\*$`);

/**
 * True for an event name: dot-separated segments of letters, digits and `_`, at least two
 * (`users.balance_updated`). The first segment is the event's domain.
 */
export function isEventName(value: unknown): value is string {
  return typeof value === 'string' && value.length <= MAX_EVENT_NAME_LENGTH && NAME.test(value);
}

/** True for a subscription pattern: an event name, `domain.*`, or `*`. */
export function isEventPattern(value: unknown): value is string {
  return (
    value === '*' ||
    (typeof value === 'string' &&
      value.length <= MAX_EVENT_NAME_LENGTH &&
      (NAME.test(value) || DOMAIN_WILDCARD.test(value)))
  );
}

/** Throws `HS_SYNC_INVALID_PATTERN` unless `value` is a pattern. */
export function assertEventPattern(value: unknown): asserts value is string {
  if (!isEventPattern(value))
    throw new SyncError(
      'HS_SYNC_INVALID_PATTERN',
      `"${String(value).slice(0, MAX_EVENT_NAME_LENGTH)}" is not a subscription pattern: use an event name ("users.updated"), a domain ("users.*") or "*".`,
      { pattern: String(value).slice(0, MAX_EVENT_NAME_LENGTH) },
    );
}

/** The domain of an event name: `users` for `users.balance_updated`. */
export function domainOf(type: string): string {
  const dot = type.indexOf('.');
  return dot < 0 ? type : type.slice(0, dot);
}

/** The three patterns that match `type`, most specific first: the name, `domain.*`, `*`. */
export function patternsMatching(type: string): [string, string, string] {
  return [type, `${domainOf(type)}.*`, '*'];
}

/** True when `pattern` matches the event name `type`. */
export function matchesPattern(pattern: string, type: string): boolean {
  return pattern === '*' || pattern === type || pattern === `${domainOf(type)}.*`;
}
