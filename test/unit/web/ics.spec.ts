// The booking's .ics as text: RFC 5545 lines (CRLF, folded at 75 octets, TEXT escaped), UTC times, the
// Teams link as URL and LOCATION, METHOD:PUBLISH. Parsed with a maintained library in ics-parse.spec.ts.
import { bookingIcs } from '@adapters/web/ics.js';
import { aView } from '../../builders/public-booking-view.builder.js';

const unfold = (ics: string) => ics.replace(/\r\n /g, '');

describe('bookingIcs', () => {
  it('writes one VEVENT: UID the booking id, UTC times, SEQUENCE, the join link as URL and LOCATION', () => {
    const ics = bookingIcs(aView(), { sequence: 3, stamp: new Date('2026-12-06T10:11:12.345Z') });
    expect(ics.endsWith('\r\n')).toBe(true);
    expect(ics.replace(/\r\n/g, '')).not.toContain('\n');
    const lines = unfold(ics).split('\r\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        'BEGIN:VCALENDAR',
        'VERSION:2.0',
        'METHOD:PUBLISH',
        'UID:2b7c1f3e-4d5a-4b6c-8d7e-9f0a1b2c3d4e',
        'DTSTAMP:20261206T101112Z',
        'DTSTART:20270328T003000Z',
        'DTEND:20270328T013000Z',
        'SEQUENCE:3',
        'STATUS:CONFIRMED',
        'SUMMARY:Intro call\\; pricing\\, plans \\\\ more',
        'URL:https://teams.example.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0?context=x',
        'LOCATION:https://teams.example.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0?context=x',
        'END:VCALENDAR',
      ]),
    );
    expect(unfold(ics)).toContain('Reschedule or cancel: https://kailenty.example.com/manage/');
  });

  it('folds long lines at 75 octets without splitting a UTF-8 character', () => {
    const ics = bookingIcs(aView({ title: 'Réunion ☕ '.repeat(20) }), { sequence: 0, stamp: new Date() });
    for (const line of ics.split('\r\n')) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
    expect(unfold(ics)).toContain(`SUMMARY:${'Réunion ☕ '.repeat(20)}`);
  });

  it('in-person: the address as LOCATION and no URL; cancelled: STATUS:CANCELLED', () => {
    const ics = unfold(
      bookingIcs(
        aView({ status: 'cancelled', location: { kind: 'in_person', value: '1 Main St, Springfield' } }),
        {
          sequence: 2,
          stamp: new Date(),
        },
      ),
    );
    expect(ics).toContain('LOCATION:1 Main St\\, Springfield');
    expect(ics).not.toContain('\r\nURL:');
    expect(ics).toContain('STATUS:CANCELLED');
  });
});
