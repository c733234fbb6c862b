import { describe, expect, it } from 'vitest';
import { SYNC_ERROR_CODES, SYNC_ERROR_NAMES, SyncError } from './errors.ts';

describe('sync errors', () => {
  it('every code has a class name and every name a code', () => {
    expect(Object.keys(SYNC_ERROR_NAMES).sort()).toEqual(Object.keys(SYNC_ERROR_CODES).sort());
  });

  it('carry code, name and context', () => {
    const error = new SyncError('HS_SYNC_UNKNOWN_EVENT', 'nope', { event: 'x.y' });
    expect([error.code, error.name, error.context.event]).toEqual([
      'HS_SYNC_UNKNOWN_EVENT',
      'UnknownEventError',
      'x.y',
    ]);
  });
});
