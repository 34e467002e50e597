// Writes instants the way the API shows them: ISO 8601 with the offset a viewer's IANA zone has at that
// instant ("2026-12-01T10:00:00+01:00"), `Z` for UTC itself. The zone changes how times are written, never which.
import { MINUTE_MS, assertTimeZone, zoneOffsetAt } from './zoned-time.js';

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
  if (UTC_NAMES.has(timeZone)) return new Date(instant).toISOString().replace('.000Z', 'Z');
  // Offsets with seconds only exist before 1900; RFC 3339 cannot write them, so whole minutes it is.
  const offset = Math.round(zoneOffsetAt(timeZone, instant) / MINUTE_MS) * MINUTE_MS;
  const wall = new Date(instant + offset).toISOString();
  const body = wall.slice(19, 23) === '.000' ? wall.slice(0, 19) : wall.slice(0, 23);
  const minutes = Math.abs(offset) / MINUTE_MS;
  const sign = offset < 0 ? '-' : '+';
  const hh = String(Math.floor(minutes / 60)).padStart(2, '0');
  const mm = String(minutes % 60).padStart(2, '0');
  return `${body}${sign}${hh}:${mm}`;
}
