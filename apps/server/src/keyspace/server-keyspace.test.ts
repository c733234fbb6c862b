import { describe, expect, it } from 'vitest';
import { serverKeyspace } from './server-keyspace.ts';

describe('serverKeyspace', () => {
  it('uses HS_KEY_PREFIX, or hs when it is unset or blank', () => {
    expect(serverKeyspace({ HS_KEY_PREFIX: 'staging-2' }).prefix).toBe('staging-2');
    expect(serverKeyspace({}).prefix).toBe('hs');
    expect(serverKeyspace({ HS_KEY_PREFIX: '  ' }).prefix).toBe('hs');
  });

  it.each(['2fast', 'has space', 'brace{', 'a:b', 'x'.repeat(65)])(
    'refuses %j in one line naming the variable',
    (value) => {
      let message = '';
      try {
        serverKeyspace({ HS_KEY_PREFIX: value });
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/^HS_KEY_PREFIX=".*" is not a valid key prefix \(Invalid keyspace/);
      expect(message).not.toContain('\n');
    },
  );
});
