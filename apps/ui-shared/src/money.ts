/**
 * Money as the API keeps it: integer minor units. Formatting and parsing work on strings and
 * integers only, so 0.1 + 0.2 never appears on screen or in a request. Shared by the admin
 * panel and the Mini App.
 */

/** Digits after the decimal point of `currency` (2 for USD, 0 for JPY); 2 when unknown. */
export function fractionDigits(currency: string): number {
  try {
    const format = new Intl.NumberFormat('en-US', { style: 'currency', currency });
    return format.resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** `1250, 'USD'` → `"12.50 USD"`. */
export function formatMinor(minor: number, currency: string): string {
  const digits = fractionDigits(currency);
  const sign = minor < 0 ? '-' : '';
  const magnitude = Math.abs(minor);
  if (digits === 0) return `${sign}${magnitude} ${currency}`;
  const scale = 10 ** digits;
  const fraction = String(magnitude % scale).padStart(digits, '0');
  return `${sign}${Math.floor(magnitude / scale)}.${fraction} ${currency}`;
}

/** The result of {@link parseAmount}: minor units, or what is wrong with the text. */
export type ParsedAmount = { ok: true; minor: number } | { ok: false; message: string };

/**
 * Parse an amount typed in currency units (`"12.5"`, `"12,50"`) into minor units, exactly.
 * Refuses signs, letters, and more decimals than the currency has.
 */
export function parseAmount(text: string, currency: string): ParsedAmount {
  const digits = fractionDigits(currency);
  const normalized = text.trim().replace(',', '.');
  const match = /^(\d{1,12})(?:\.(\d*))?$/.exec(normalized);
  if (match === null)
    return { ok: false, message: `Enter an amount such as ${digits === 0 ? '10' : '10.00'}.` };
  const fraction = match[2] ?? '';
  if (fraction.length > digits)
    return { ok: false, message: `${currency} has ${digits} decimal places at most.` };
  const minor = Number(match[1]) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
  if (!Number.isSafeInteger(minor)) return { ok: false, message: 'The amount is too large.' };
  return { ok: true, minor };
}

/** Minor units back into the text an input shows: `1250` → `"12.50"`. */
export function minorToInput(minor: number, currency: string): string {
  return formatMinor(minor, currency).split(' ')[0] ?? '';
}
