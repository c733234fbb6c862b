import { describe, expect, it } from 'vitest';
import { clearedCookie, readCookie, sessionCookie } from './cookies.ts';

describe('cookies', () => {
  it('reads one cookie among several and writes HttpOnly, SameSite=Strict, Secure session cookies', () => {
    expect(readCookie('a=1; web_sid=abc%2Fdef; b=2', 'web_sid')).toBe('abc/def');
    expect(readCookie('xweb_sid=1', 'web_sid')).toBeUndefined();
    expect(readCookie(undefined, 'web_sid')).toBeUndefined();
    expect(sessionCookie('web_sid', 'a/b', 60)).toBe(
      'web_sid=a%2Fb; Path=/; HttpOnly; SameSite=Strict; Max-Age=60; Secure',
    );
    expect(sessionCookie('web_sid', 'x', 60, true)).not.toContain('Secure');
    expect(clearedCookie('web_sid')).toContain('Max-Age=0');
  });
});
