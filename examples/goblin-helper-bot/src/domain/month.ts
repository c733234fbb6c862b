import type { GroupType } from './period.ts';

/** One group of one month (`ctx.months.list[year][month][type]`), keyed `YYYY_MM:type`. */
export interface MonthGroup {
  period: string;
  type: GroupType;
  /** The group's chat id. */
  id: string;
  /** Its invite link. */
  link: string;
  counter: { joined: number; paid: number };
}

/** The bridge key of a month's group. */
export function monthKey(period: string, type: GroupType): string {
  return `${period}:${type}`;
}
