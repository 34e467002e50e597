// The one rule for instants the API takes (a booking's start, a reschedule, the slots range, list filters):
// ISO 8601 with an offset or Z — a time without one would be read in the server's zone, a bare date at UTC
// midnight — naming a real calendar time, in the years 2000 to 2199 (UTC): beyond that lie typos (0001,
// 9999) and values the database or Microsoft refuse, never a meeting.
import { DomainError, type FieldError } from './domain-error.js';

export const EARLIEST_INSTANT = Date.UTC(2000, 0, 1);
/** Exclusive. */
export const INSTANT_LIMIT = Date.UTC(2200, 0, 1);

export const INSTANT_RULE =
  'must be an ISO 8601 date-time with an offset or Z, e.g. 2026-12-01T09:00:00Z, in the years 2000 to 2199';

const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:Z|([+-])(\d{2}):(\d{2}))$/;

/** The instant `text` names, or null when it does not follow the rule. */
export function parseInstant(text: unknown): Date | null {
  if (typeof text !== 'string') return null;
  const m = ISO_INSTANT.exec(text);
  if (!m) return null;
  const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4], m[5]].map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const ms = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'));
  const offsetMinutes =
    m[8] === undefined ? 0 : (m[8] === '-' ? -1 : 1) * (Number(m[9]) * 60 + Number(m[10]));
  // Years below 100 would be read as 19xx by Date.UTC; they are out of range anyway.
  if (year < 1000) return null;
  // Date.UTC would roll 2026-02-30 over into March: the fields must name a real time.
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  if (m[8] !== undefined && (Number(m[9]) > 23 || Number(m[10]) > 59)) return null;
  const instant = new Date(Date.UTC(year, month - 1, day, hour, minute, second, ms) - offsetMinutes * 60_000);
  return isInstantInRange(instant) ? instant : null;
}

export function isInstantInRange(instant: Date): boolean {
  const t = instant.getTime();
  return t >= EARLIEST_INSTANT && t < INSTANT_LIMIT;
}

/** Throws VALIDATION_FAILED naming each field whose instant is invalid or out of range. */
export function checkInstants(fields: Record<string, Date>): void {
  const errors: FieldError[] = Object.entries(fields)
    .filter(([, instant]) => !isInstantInRange(instant))
    .map(([field]) => ({ field, message: INSTANT_RULE }));
  if (errors.length > 0) throw DomainError.validation(errors);
}
