import { isHybridStateError } from '@hybridstate/core';

/**
 * True when a store call failed because the tiers it needs are unreachable
 * (`HS_TIER_UNAVAILABLE`): the caller falls back (RAM, or a reply asking to retry). Any other
 * error is a bug or bad input and is rethrown by the callers.
 */
export function isStorageUnavailable(error: unknown): boolean {
  return isHybridStateError(error, 'HS_TIER_UNAVAILABLE');
}
