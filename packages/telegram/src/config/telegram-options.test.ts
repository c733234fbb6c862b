import { describe, expect, it } from 'vitest';
import { readTelegramOptions } from './telegram-options.ts';

describe('readTelegramOptions', () => {
  it('reads BOT_TOKEN and TELEGRAM_API_ROOT (trailing slash dropped), both optional', () => {
    expect(readTelegramOptions({})).toEqual({ token: undefined, apiRoot: undefined });
    expect(
      readTelegramOptions({ BOT_TOKEN: ' 1:abc ', TELEGRAM_API_ROOT: 'http://localhost:8081/' }),
    ).toEqual({ token: '1:abc', apiRoot: 'http://localhost:8081' });
  });

  it('refuses a root that is not an http(s) URL, naming the variable', () => {
    expect(() => readTelegramOptions({ TELEGRAM_API_ROOT: 'localhost:8081' })).toThrow(
      expect.objectContaining({
        code: 'HS_CONFIG_INVALID',
        message: expect.stringContaining('TELEGRAM_API_ROOT'),
      }),
    );
  });
});
