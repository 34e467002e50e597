// Writes instants the way the API shows them: ISO 8601 with the offset a viewer's IANA zone has at that
// instant ("2026-12-01T10:00:00+01:00"), `Z` for UTC itself. The zone changes how times are written, never which.
import { MINUTE_MS, ZoneTimeline, assertTimeZone, zoneOffsetAt } from './zoned-time.js';

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
  return new Date(instant).toISOString().replace('.000Z', 'Z');
}

function withOffset(instant: number, zoneOffset: number): string {
  // Offsets with seconds only exist before 1900; RFC 3339 cannot write them, so whole minutes it is.
  const offset = Math.round(zoneOffset / MINUTE_MS) * MINUTE_MS;
  const wall = new Date(instant + offset).toISOString();
  const body = wall.slice(19, 23) === '.000' ? wall.slice(0, 19) : wall.slice(0, 23);
  const minutes = Math.abs(offset) / MINUTE_MS;
  const sign = offset < 0 ? '-' : '+';
  const hh = String(Math.floor(minutes / 60)).padStart(2, '0');
  const mm = String(minutes % 60).padStart(2, '0');
  return `${body}${sign}${hh}:${mm}`;
}
