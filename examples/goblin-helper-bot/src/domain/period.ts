import { GoblinInputError } from '../errors.ts';

/** Group types of a month (the seed's `type ENUM('regular','plus')`). */
export const GROUP_TYPES = ['regular', 'plus'] as const;

/** `regular` or `plus`. */
export type GroupType = (typeof GROUP_TYPES)[number];

/** A month as the seed keeps it in `globalSession.current`: `{ year: "2024", month: "01" }`. */
export interface CurrentMonth {
  readonly year: string;
  readonly month: string;
}

const PERIOD = /^(\d{4})[_-](0[1-9]|1[0-2])$/;

/** True for a `YYYY_MM` period with a month from 01 to 12. */
export function isPeriod(text: string): boolean {
  return /^\d{4}_(0[1-9]|1[0-2])$/.test(text);
}

/**
 * Parse `2024_05` or `2024-05` into the seed's `{ year, month }`; `2024-13` is refused with a
 * reply the user understands.
 */
export function parsePeriod(text: string): CurrentMonth {
  const match = PERIOD.exec(text.trim());
  if (match === null)
    throw new GoblinInputError(
      'GOBLIN_PERIOD_INVALID',
      `"${text}" is not a month: write it as YYYY_MM with a month from 01 to 12, e.g. 2024_05.`,
    );
  return { year: match[1]!, month: match[2]! };
}

/** The `YYYY_MM` period of a month. */
export function periodOf(month: CurrentMonth): string {
  return `${month.year}_${month.month}`;
}

/** The month of a date (UTC), for a bot that has no current month yet. */
export function monthOf(date: Date): CurrentMonth {
  return {
    year: String(date.getUTCFullYear()),
    month: String(date.getUTCMonth() + 1).padStart(2, '0'),
  };
}

/** `regular` or `plus`, or a reply saying which words work. */
export function parseGroupType(text: string | undefined): GroupType {
  if (text === 'regular' || text === 'plus') return text;
  throw new GoblinInputError(
    'GOBLIN_GROUP_TYPE_INVALID',
    `Which group? Write /join regular or /join plus.`,
  );
}
