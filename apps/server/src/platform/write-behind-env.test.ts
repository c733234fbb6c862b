import { describe, expect, it } from 'vitest';
import { readWriteBehindEnv } from './write-behind-env.ts';

describe('readWriteBehindEnv', () => {
  it('defaults to 5 minutes and reads WRITE_BEHIND_FLUSH_INTERVAL_MS', () => {
    expect(readWriteBehindEnv({})).toEqual({ flushIntervalMs: 300_000 });
    expect(readWriteBehindEnv({ WRITE_BEHIND_FLUSH_INTERVAL_MS: ' 2000 ' })).toEqual({
      flushIntervalMs: 2000,
    });
  });

  it('refuses a value that is not a whole number of at least 100 ms, naming the variable', () => {
    for (const value of ['abc', '1.5', '50', '-1'])
      expect(() => readWriteBehindEnv({ WRITE_BEHIND_FLUSH_INTERVAL_MS: value })).toThrow(
        /WRITE_BEHIND_FLUSH_INTERVAL_MS/,
      );
  });
});
