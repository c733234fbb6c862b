import { describe, expect, it } from 'vitest';
import { IDENTITY_ERROR_CODES, IdentityError } from './errors.ts';

describe('identity errors', () => {
  it('every code has its own class name and keeps its code', () => {
    const names = new Set<string>();
    for (const code of Object.keys(IDENTITY_ERROR_CODES) as (keyof typeof IDENTITY_ERROR_CODES)[]) {
      const error = new IdentityError(code, 'm');
      expect(error.code).toBe(code);
      expect(error.name).toMatch(/Error$/);
      names.add(error.name);
    }
    expect(names.size).toBe(Object.keys(IDENTITY_ERROR_CODES).length);
  });
});
