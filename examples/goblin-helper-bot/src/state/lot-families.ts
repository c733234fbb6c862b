import type { Keyspace } from '@hybridstate/core';
import type { Lot } from '../domain/lot.ts';
import type { LotIndex } from './lot-board.ts';
import { LOT_KEY_NAMES } from './session-keys.ts';
import { lotIndexSchema, lotSchema } from './value-schemas.ts';

const HOUR_MS = 3_600_000;

/**
 * The lots' key families. The seed kept every lot in one `lots` session, so every join locked,
 * read, checked and wrote all the lots, and joins of different lots waited on each other. Here
 * each lot is its own key: a join locks, checks and writes only its lot, and joins of
 * different lots run in parallel. The index (the ids and the next id) changes only when a lot
 * is created, pruned or cleared.
 *
 * Both are buffered, no TTL, like the seed's `lots` session: every join writes, so a write is
 * acknowledged at Redis speed with its journal entry in the same step and copied to PostgreSQL
 * by the write-behind flusher (the seed kept lots in Redis only); no money moves on a join.
 * Redis keeps a hot copy for an hour. Closed lots are deleted 30 days after closing, when a new
 * lot is created (seed defect 4).
 */
export function declareLotFamilies(keyspace: Keyspace) {
  return {
    lot: keyspace.family<`${typeof LOT_KEY_NAMES.lot}:{lotId}`, Lot>({
      name: LOT_KEY_NAMES.lot,
      key: `${LOT_KEY_NAMES.lot}:{lotId}`,
      durability: 'buffered',
      cacheTtlMs: HOUR_MS,
      schema: lotSchema,
      context: 'telegram',
    }),
    index: keyspace.family<typeof LOT_KEY_NAMES.index, LotIndex>({
      name: LOT_KEY_NAMES.index,
      key: LOT_KEY_NAMES.index,
      durability: 'buffered',
      cacheTtlMs: HOUR_MS,
      schema: lotIndexSchema,
      context: 'telegram',
    }),
  };
}

/** The families {@link declareLotFamilies} declares. */
export type LotFamilies = ReturnType<typeof declareLotFamilies>;
