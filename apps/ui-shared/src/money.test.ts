import { describe, expect, it } from 'vitest';
import * as money from './money.ts';

describe('money', () => {
  it('formats minor units exactly, with the currency’s decimals', () => {
    expect(money.formatMinor(0, 'USD')).toBe('0.00 USD');
    expect(money.formatMinor(1250, 'USD')).toBe('12.50 USD');
    expect(money.formatMinor(-5, 'EUR')).toBe('-0.05 EUR');
    expect(money.formatMinor(1500, 'JPY')).toBe('1500 JPY');
    expect(money.formatMinor(123_456_789_012, 'USD')).toBe('1234567890.12 USD');
  });

  it('parses typed amounts into minor units without floating point', () => {
    expect(money.parseAmount('12.5', 'USD')).toEqual({ ok: true, minor: 1250 });
    expect(money.parseAmount(' 0,10 ', 'USD')).toEqual({ ok: true, minor: 10 });
    expect(money.parseAmount('0.29', 'USD')).toEqual({ ok: true, minor: 29 });
    expect(money.parseAmount('7', 'USD')).toEqual({ ok: true, minor: 700 });
    expect(money.parseAmount('7.', 'USD')).toEqual({ ok: true, minor: 700 });
    expect(money.parseAmount('300', 'JPY')).toEqual({ ok: true, minor: 300 });
  });

  it('refuses what is not an amount, with a message', () => {
    for (const text of ['', '-1', '1e3', 'abc', '1.2.3'])
      expect(money.parseAmount(text, 'USD')).toMatchObject({ ok: false });
    expect(money.parseAmount('1.234', 'USD')).toEqual({
      ok: false,
      message: 'USD has 2 decimal places at most.',
    });
    expect(money.parseAmount('1.5', 'JPY')).toMatchObject({ ok: false });
  });

  it('round-trips through the input text', () => {
    expect(money.minorToInput(1250, 'USD')).toBe('12.50');
    expect(money.parseAmount(money.minorToInput(99, 'USD'), 'USD')).toEqual({
      ok: true,
      minor: 99,
    });
  });
});
