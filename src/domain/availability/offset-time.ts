// Writes instants the way the API shows them: ISO 8601 with the offset a viewer's IANA zone has at that
// instant ("2026-12-01T10:00:00+01:00"), `Z` for UTC itself. The zone changes how times are written, never which.
import { DAY_MS, MINUTE_MS, ZoneTimeline, assertTimeZone, zoneOffsetAt } from './zoned-time.js';

const UTC_NAMES = new Set([
  'UTC',
  'Etc/UTC',
  'Etc/UCT',
  'UCT',
  'Etc/Zulu',
  'Zulu',
  'Etc/Universal',
  'Universal',
]);

/** Throws VALIDATION_FAILED for a zone this runtime does not know. */
export function formatInZone(instant: number, timeZone: string): string {
  assertTimeZone(timeZone);
  if (UTC_NAMES.has(timeZone)) return formatUtc(instant);
  return withOffset(instant, zoneOffsetAt(timeZone, instant));
}

/**
 * `formatInZone` for many instants of [from, to] (a list of slots): the zone's offsets are worked out once
 * for the window (`ZoneTimeline`) instead of asking Intl for each instant. Outside the window it falls back
 * to `formatInZone`, so the answer is the same for any instant.
 */
export function zoneFormatter(timeZone: string, from: number, to: number): (instant: number) => string {
  assertTimeZone(timeZone);
  if (UTC_NAMES.has(timeZone)) return formatUtc;
  const timeline = ZoneTimeline.build(timeZone, from, to);
  return (instant) =>
    instant < timeline.from || instant > timeline.to
      ? formatInZone(instant, timeZone)
      : withOffset(instant, timeline.offsetAt(instant));
}

function formatUtc(instant: number): string {
  return `${wallText(instant)}Z`;
}

function withOffset(instant: number, zoneOffset: number): string {
  // Offsets with seconds only exist before 1900; RFC 3339 cannot write them, so whole minutes it is.
  const offset = Math.round(zoneOffset / MINUTE_MS) * MINUTE_MS;
  const minutes = Math.abs(offset) / MINUTE_MS;
  const sign = offset < 0 ? '-' : '+';
  return `${wallText(instant + offset)}${sign}${TWO_DIGITS[Math.floor(minutes / 60)]}:${TWO_DIGITS[minutes % 60]}`;
}

const TWO_DIGITS = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
/** Year 10000: beyond it (and before 1970) `toISOString` writes the date, as it writes other years. */
const FAST_WALL_END = 253_402_300_800_000;
/** The date part of the last day written: a list of slots writes the same few days over and over. */
let lastDay = NaN;
let lastDate = '';

/**
 * "2026-12-01T10:00:00" (".005" when there are milliseconds), for a wall time given as if it were UTC. Whole
 * seconds of 1970–9999 — every slot — are written from a cached date and a table of two digits, which is
 * several times cheaper than `toISOString` for the hundreds of times a slots answer needs it.
 */
function wallText(wall: number): string {
  if (wall % 1000 !== 0 || wall < 0 || wall >= FAST_WALL_END) {
    const iso = new Date(wall).toISOString();
    return iso.slice(-5, -1) === '.000' ? iso.slice(0, -5) : iso.slice(0, -1);
  }
  const day = Math.floor(wall / DAY_MS);
  if (day !== lastDay) {
    lastDate = new Date(day * DAY_MS).toISOString().slice(0, 11);
    lastDay = day;
  }
  const seconds = (wall - day * DAY_MS) / 1000;
  return `${lastDate}${TWO_DIGITS[Math.floor(seconds / 3600)]}:${TWO_DIGITS[Math.floor(seconds / 60) % 60]}:${TWO_DIGITS[seconds % 60]}`;
}
