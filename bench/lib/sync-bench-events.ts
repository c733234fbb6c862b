import { syncEvents } from '@hybridstate/sync';
import { z } from 'zod';

/** The bench's own events on top of seed 002's catalog (apps extend it the same way). */
export const benchEvents = syncEvents.extend({
  'bench.ping': { schema: z.object({ seq: z.number().int() }), audience: 'public' },
  'bench.pong': { schema: z.object({ seq: z.number().int() }), audience: 'public' },
  'bench.fanout': {
    schema: z.object({ seq: z.number().int(), sentAt: z.number() }),
    audience: 'public',
  },
});

/** Wall-clock milliseconds with sub-ms resolution, comparable between processes of one host. */
export function wallNow(): number {
  return performance.timeOrigin + performance.now();
}
