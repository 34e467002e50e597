// A mailbox's working hours as Outlook keeps them (days, one daily span, the zone they are in): what a
// newly connected member's default availability starts from, so kailenty offers the hours Outlook shows.
import { WEEKDAYS, type Weekday } from './slot-engine.js';
import { assertTimeZone, parseWallTime } from './zoned-time.js';

export interface WorkingHours {
  /** In week order, each once. */
  days: Weekday[];
  /** "HH:MM", local to `timeZone`. */
  start: string;
  /** "HH:MM", after `start`; "24:00" ends the day. */
  end: string;
  /** IANA zone of the hours; null when Microsoft named one no table maps (the mailbox's zone is used). */
  timeZone: string | null;
}

const WALL_TIME = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;

function isZone(zone: string): boolean {
  try {
    assertTimeZone(zone);
    return true;
  } catch {
    return false;
  }
}

/**
 * Working hours that can be offered as they are, or null: no day, a span that ends before it starts
 * (hours across midnight, which one weekly interval cannot say) or malformed values.
 */
export function usableWorkingHours(input: {
  days: readonly string[];
  start: string;
  end: string;
  timeZone: string | null;
}): WorkingHours | null {
  const days = WEEKDAYS.filter((d) => input.days.includes(d));
  if (days.length === 0) return null;
  if (!WALL_TIME.test(input.start) || input.start === '24:00' || !WALL_TIME.test(input.end)) return null;
  if (parseWallTime(input.start) >= parseWallTime(input.end)) return null;
  const timeZone = input.timeZone !== null && isZone(input.timeZone) ? input.timeZone : null;
  return { days, start: input.start, end: input.end, timeZone };
}
