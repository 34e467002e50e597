// A booking as an iCalendar file (RFC 5545) for the guest's own calendar: METHOD:PUBLISH, UID the booking
// id, times in UTC, SEQUENCE the booking's revision, the Teams link as URL and LOCATION.
import type { PublicBookingView } from '@application/booking-page/public-booking-view.js';

const CRLF = '\r\n';

/** 20261201T090000Z */
function utc(date: Date | string): string {
  return new Date(date)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** TEXT values (§3.3.11): backslash, semicolon, comma and newlines escaped. */
function text(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r?\n|\r/g, '\\n');
}

/** Content lines longer than 75 octets are folded (§3.1), never inside a UTF-8 character. */
function fold(line: string): string {
  const out: string[] = [];
  let current = '';
  let octets = 0;
  for (const char of line) {
    const size = Buffer.byteLength(char, 'utf8');
    // The first line holds 75 octets; continuation lines 74 after their leading space.
    if (octets + size > (out.length === 0 ? 75 : 74)) {
      out.push(current);
      current = '';
      octets = 0;
    }
    current += char;
    octets += size;
  }
  out.push(current);
  return out.join(`${CRLF} `);
}

export function bookingIcs(view: PublicBookingView, revision: { sequence: number; stamp: Date }): string {
  const where =
    view.location.kind === 'teams' ? (view.location.joinUrl ?? null) : (view.location.value ?? null);
  const description = [
    view.hostNames.length > 0 ? `With ${view.hostNames.join(', ')}.` : null,
    view.location.kind === 'teams' && view.location.joinUrl
      ? `Join on Teams: ${view.location.joinUrl}`
      : null,
    ...view.warnings.map((w) => w.message),
    view.manageUrl ? `Reschedule or cancel: ${view.manageUrl}` : null,
  ].filter((line): line is string => line !== null);
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//kailenty//booking page//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    'BEGIN:VEVENT',
    `UID:${view.id}`,
    `DTSTAMP:${utc(revision.stamp)}`,
    `DTSTART:${utc(view.start)}`,
    `DTEND:${utc(view.end)}`,
    `SEQUENCE:${revision.sequence}`,
    `STATUS:${view.status === 'cancelled' ? 'CANCELLED' : 'CONFIRMED'}`,
    `SUMMARY:${text(view.title)}`,
    ...(where ? [`LOCATION:${text(where)}`] : []),
    ...(view.location.kind === 'teams' && view.location.joinUrl ? [`URL:${view.location.joinUrl}`] : []),
    ...(description.length > 0 ? [`DESCRIPTION:${text(description.join('\n'))}`] : []),
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return lines.map(fold).join(CRLF) + CRLF;
}
