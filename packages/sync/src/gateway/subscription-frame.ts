import { SyncError } from '../errors.ts';
import type { EventCatalog } from '../events/event-catalog.ts';
import { domainOf, isEventPattern } from '../events/event-pattern.ts';

/**
 * Read a `subscribe`/`unsubscribe` frame: `{ events: string[] }`, at most `maxPatterns`
 * entries, each a pattern the catalog knows (a defined name, a defined domain's `domain.*`,
 * or `*`). Throws `HS_SYNC_BAD_FRAME`, `HS_SYNC_INVALID_PATTERN` or `HS_SYNC_UNKNOWN_EVENT`.
 */
export function readSubscriptionFrame(
  frame: unknown,
  catalog: EventCatalog,
  maxPatterns: number,
): string[] {
  const events = (frame as { events?: unknown } | null)?.events;
  if (frame === null || typeof frame !== 'object' || !Array.isArray(events))
    throw new SyncError('HS_SYNC_BAD_FRAME', 'Expected { events: string[] }.');
  if (events.length === 0 || events.length > maxPatterns)
    throw new SyncError(
      'HS_SYNC_BAD_FRAME',
      `A frame lists 1 to ${maxPatterns} events; this one lists ${events.length}.`,
      { count: events.length },
    );
  for (const pattern of events) assertKnownPattern(pattern, catalog);
  return [...new Set(events as string[])];
}

function assertKnownPattern(pattern: unknown, catalog: EventCatalog): void {
  if (!isEventPattern(pattern))
    throw new SyncError(
      'HS_SYNC_INVALID_PATTERN',
      `${JSON.stringify(pattern)?.slice(0, 100)} is not a pattern: use "users.updated", "users.*" or "*".`,
    );
  if (pattern === '*') return;
  const known = pattern.endsWith('.*')
    ? catalog.hasDomain(domainOf(pattern))
    : catalog.has(pattern);
  if (!known)
    throw new SyncError('HS_SYNC_UNKNOWN_EVENT', `No event matches "${pattern}" in the catalog.`, {
      event: pattern,
    });
}
