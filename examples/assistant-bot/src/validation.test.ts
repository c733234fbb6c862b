import { describe, expect, it } from 'vitest';
import { parseBookingTime, parsePhone } from './validation.ts';

describe('parsePhone', () => {
  it('normalizes international numbers to +digits', () => {
    expect(parsePhone('+7 (999) 123-45-67')).toEqual({ ok: true, value: '+79991234567' });
    expect(parsePhone('44.20.7946.0958')).toEqual({ ok: true, value: '+442079460958' });
  });

  it('refuses text, short and long numbers with a sentence the user can act on', () => {
    for (const bad of [
      '',
      'call me',
      '12345',
      '+1234567890123456',
      '+7 999 abc 45 67',
      '++79991234567',
    ]) {
      const result = parsePhone(bad);
      expect(result).toMatchObject({ ok: false });
      expect(result.ok === false && result.reason).toContain('+79991234567');
    }
  });
});

describe('parseBookingTime', () => {
  const now = new Date('2030-01-01T12:00:00Z');

  it('accepts a future half hour within opening hours (UTC)', () => {
    expect(parseBookingTime(' 2030-01-02 09:00 ', now)).toEqual({
      ok: true,
      value: new Date('2030-01-02T09:00:00Z'),
    });
    expect(parseBookingTime('2030-01-01T18:00', now)).toMatchObject({ ok: true });
  });

  it.each([
    ['noon', 'YYYY-MM-DD HH:MM'],
    ['2030-02-29 10:00', 'not a real date'],
    ['2030-01-02 24:00', 'not a real date'],
    ['2030-01-02 10:10', ':00 or :30'],
    ['2030-01-02 08:30', 'We are open'],
    ['2030-01-02 18:30', 'We are open'],
    ['2030-01-01 11:30', 'already passed'],
    ['2030-01-01 12:00', 'already passed'],
  ])('refuses %s', (text, reason) => {
    const result = parseBookingTime(text, now);
    expect(result.ok).toBe(false);
    expect(result.ok === false && result.reason).toContain(reason);
  });
});
