/** A parsed value, or why the input was refused (a sentence the user sees). */
export type Parsed<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly reason: string };

const PHONE = /^\+?\d{10,15}$/;

/**
 * A phone number in international format: 10-15 digits, an optional leading `+`, spaces,
 * dashes, dots and parentheses allowed between digits. Returned as `+digits`.
 *
 * @example
 * ```ts
 * parsePhone('+7 (999) 123-45-67'); // { ok: true, value: '+79991234567' }
 * ```
 */
export function parsePhone(text: string): Parsed<string> {
  const compact = text.trim().replace(/[\s().-]/g, '');
  if (!PHONE.test(compact))
    return {
      ok: false,
      reason:
        'That does not look like a phone number. Send it in international format, for example +79991234567.',
    };
  return { ok: true, value: `+${compact.replace(/^\+/, '')}` };
}

/** Opening hours of bookings, UTC: the first and the last bookable hour. */
export const OPENING_HOURS = { first: 9, last: 18 } as const;

const TIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})$/;

/**
 * A booking time `YYYY-MM-DD HH:MM` (UTC): a real date, on the hour or half hour, within
 * opening hours, after `now`.
 *
 * @example
 * ```ts
 * parseBookingTime('2099-01-05 10:30', new Date()); // { ok: true, value: 2099-01-05T10:30:00Z }
 * ```
 */
export function parseBookingTime(text: string, now: Date): Parsed<Date> {
  const match = TIME.exec(text.trim());
  if (match === null)
    return refuse('Send the time as YYYY-MM-DD HH:MM, for example 2030-05-14 15:30 (UTC).');
  const [year, month, day, hour, minute] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const at = new Date(Date.UTC(year, month - 1, day, hour, minute));
  if (at.getUTCMonth() !== month - 1 || at.getUTCDate() !== day || hour > 23 || minute > 59)
    return refuse(`${text.trim()} is not a real date and time.`);
  if (minute % 30 !== 0)
    return refuse('Bookings start on the hour or at half past: use :00 or :30.');
  if (
    hour < OPENING_HOURS.first ||
    hour > OPENING_HOURS.last ||
    (hour === OPENING_HOURS.last && minute > 0)
  )
    return refuse(
      `We are open ${OPENING_HOURS.first}:00-${OPENING_HOURS.last}:00 UTC; pick a time in that range.`,
    );
  if (at.getTime() <= now.getTime())
    return refuse('That time has already passed; pick a time in the future.');
  return { ok: true, value: at };
}

function refuse(reason: string): Parsed<never> {
  return { ok: false, reason };
}
