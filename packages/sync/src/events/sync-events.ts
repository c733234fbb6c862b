import { z } from 'zod';
import { EventCatalog } from './event-catalog.ts';

/** An entity id: a non-empty string or a whole number. */
const id = z.union([z.string().min(1).max(200), z.number().int()]);
/** An entity that changed; extra fields are allowed (they travel as hints). */
const entity = z.looseObject({ id });
/** A change about one user (Telegram user id or internal id). */
const user = z.looseObject({ userId: id });
/** A payout request of one user. */
const payout = z.looseObject({ id, userId: id, amount: z.number().optional() });

/**
 * Every event of seed 002, with its payload schema and audience. Content that every user sees
 * (scenarios, buttons, tasks, settings) is `public`; user and payout events are `subject`:
 * only admins and the user they are about receive them.
 *
 * Extend it with your own events: `syncEvents.extend({ 'orders.created': {...} })`.
 */
export const syncEvents = EventCatalog.empty().extend({
  'scenarios.created': { schema: entity, audience: 'public' },
  'scenarios.updated': { schema: entity, audience: 'public' },
  'scenarios.deleted': { schema: entity, audience: 'public' },
  'buttons.created': { schema: entity, audience: 'public' },
  'buttons.updated': { schema: entity, audience: 'public' },
  'buttons.deleted': { schema: entity, audience: 'public' },
  'tasks.created': { schema: entity, audience: 'public' },
  'tasks.updated': { schema: entity, audience: 'public' },
  'tasks.deleted': { schema: entity, audience: 'public' },
  // The key only: values such as API keys must never reach a Mini App; readers refetch.
  'settings.updated': { schema: z.object({ key: z.string().min(1).max(200) }), audience: 'public' },
  'users.created': { schema: user, audience: 'subject' },
  'users.updated': { schema: user, audience: 'subject' },
  'users.balance_updated': {
    schema: z.looseObject({
      userId: id,
      balance: z.union([z.number(), z.string()]).optional(),
      delta: z.number().optional(),
    }),
    audience: 'subject',
  },
  'payouts.created': { schema: payout, audience: 'subject' },
  'payouts.updated': { schema: payout, audience: 'subject' },
  'payouts.approved': { schema: payout, audience: 'subject' },
  'payouts.declined': { schema: payout, audience: 'subject' },
});

/** Names and data types of the built-in events. */
export type SyncEventMap = typeof syncEvents extends EventCatalog<infer M> ? M : never;
