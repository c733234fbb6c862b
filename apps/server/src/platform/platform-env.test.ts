import { describe, expect, it } from 'vitest';
import { readPlatformEnv } from './platform-env.ts';

describe('readPlatformEnv', () => {
  it('reads TELEGRAM_API_ROOT beside BOT_TOKEN', () => {
    const env = readPlatformEnv(
      { BOT_TOKEN: '1:x', TELEGRAM_API_ROOT: 'http://localhost:8081/' },
      3000,
    );
    expect(env.telegramApiRoot).toBe('http://localhost:8081');
    expect(readPlatformEnv({}, 3000).telegramApiRoot).toBeUndefined();
  });

  it('refuses a TELEGRAM_API_ROOT that is not an http(s) URL, naming the variable', () => {
    expect(() => readPlatformEnv({ TELEGRAM_API_ROOT: 'localhost:8081' }, 3000)).toThrow(
      /TELEGRAM_API_ROOT must be an http\(s\) URL/,
    );
  });
});
