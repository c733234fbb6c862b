import { describe, expect, it } from 'vitest';
import { ERROR_CODES, type ErrorCode, HybridStateError, isHybridStateError } from './errors.ts';

describe('errors', () => {
  it('gives every registered code a distinct name and keeps codes stable', () => {
    const codes = Object.keys(ERROR_CODES) as ErrorCode[];
    const names = codes.map((code) => new HybridStateError(code, 'm').name);
    expect(new Set(names).size).toBe(codes.length);
    expect(codes.every((code) => code.startsWith('HS_'))).toBe(true);
  });

  it('keeps the cause and the context', () => {
    const cause = new Error('socket closed');
    const error = new HybridStateError('HS_TIER_UNAVAILABLE', 'Redis is unavailable', {
      cause,
      context: { tier: 'redis' },
    });
    expect(error.cause).toBe(cause);
    expect(error.context).toEqual({ tier: 'redis' });
    expect(isHybridStateError(error, 'HS_TIER_UNAVAILABLE')).toBe(true);
    expect(isHybridStateError(error, 'HS_KEY_INVALID')).toBe(false);
    expect(isHybridStateError(new Error('x'))).toBe(false);
  });
});
