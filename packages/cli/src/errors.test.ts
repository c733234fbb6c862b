import { ERROR_CODES } from '@hybridstate/core';
import { describe, expect, it } from 'vitest';
import { CLI_ERROR_CODES, CliError, type CliErrorCode, EXIT_CODES } from './errors.ts';

describe('CLI errors', () => {
  it('gives every code a distinct name and an exit code, and shares no code with core', () => {
    const codes = Object.keys(CLI_ERROR_CODES) as CliErrorCode[];
    const names = codes.map((code) => new CliError(code, 'm').name);
    expect(new Set(names).size).toBe(codes.length);
    expect(codes.map((code) => EXIT_CODES[code])).toEqual(codes.map(() => expect.any(Number)));
    expect(codes.filter((code) => code in ERROR_CODES)).toEqual([]);
  });

  it('keeps the context and the cause', () => {
    const cause = new Error('ECONNREFUSED');
    const error = new CliError('HS_CLI_CONNECT', 'Redis refused', { kind: 'refused' }, cause);
    expect(error).toMatchObject({ code: 'HS_CLI_CONNECT', context: { kind: 'refused' }, cause });
  });
});
