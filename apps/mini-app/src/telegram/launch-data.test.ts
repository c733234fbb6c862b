// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { isInsideTelegram, readInitData } from './launch-data.ts';

const INIT_DATA = 'auth_date=1700000000&user=%7B%22id%22%3A42%7D&hash=abc';

afterEach(() => {
  window.location.hash = '';
  delete window.Telegram;
});

describe('launch data', () => {
  it('reads the playground’s #tgWebAppData in a plain browser, decoded once', () => {
    window.location.hash = `#tgWebAppData=${encodeURIComponent(INIT_DATA)}`;
    expect(readInitData()).toBe(INIT_DATA);
    expect(isInsideTelegram()).toBe(false);
  });

  it('prefers Telegram.WebApp.initData inside Telegram', () => {
    window.location.hash = `#tgWebAppData=${encodeURIComponent(INIT_DATA)}&tgWebAppPlatform=ios`;
    window.Telegram = { WebApp: { initData: 'from=telegram', ready() {}, expand() {} } };
    expect(isInsideTelegram()).toBe(true);
    expect(readInitData()).toBe('from=telegram');
  });

  it('has nothing without launch data', () => {
    expect(readInitData()).toBeNull();
  });
});
