import type { EventCatalog } from '../events/event-catalog.ts';
import { patternsMatching } from '../events/event-pattern.ts';
import type { SyncEvent } from '../events/sync-event.ts';
import type { SyncPrincipal } from './sync-principal.ts';

/**
 * Authorization as socket.io rooms. A subscription joins rooms that carry both the pattern
 * and who may see what; an event is emitted to the rooms of the patterns that match it, for
 * the audiences allowed to see it. A user socket is never in another user's rooms, so another
 * user's event cannot reach it, and each packet is encoded once for all its sockets.
 */

/** Rooms a principal joins for one subscription pattern. */
export function subscriptionRooms(principal: SyncPrincipal, pattern: string): string[] {
  return principal.kind === 'admin'
    ? [`s:a:${pattern}`]
    : [`s:p:${pattern}`, `s:u:${principal.userId}:${pattern}`];
}

/** Rooms an event goes to: admins always, users per the event's audience. */
export function eventRooms(catalog: EventCatalog, event: SyncEvent): string[] {
  const patterns = patternsMatching(event.type);
  const rooms = patterns.map((p) => `s:a:${p}`);
  const definition = catalog.get(event.type);
  // Events this catalog does not know (a newer instance's) stay admin-only.
  if (definition?.audience === 'public') rooms.push(...patterns.map((p) => `s:p:${p}`));
  if (definition?.audience === 'subject') {
    const subject = definition.subjectOf(event.data);
    if (subject !== undefined) rooms.push(...patterns.map((p) => `s:u:${subject}:${p}`));
  }
  return rooms;
}

/** The room holding every socket of one principal (for `disconnectUser`). */
export function principalRoom(principal: SyncPrincipal): string {
  return principal.kind === 'admin' ? `who:a:${principal.id}` : userRoom(principal.userId);
}

/** The room of every socket of one user. */
export function userRoom(userId: string | number): string {
  return `who:u:${userId}`;
}
