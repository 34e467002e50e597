// The .ics a guest downloads, read back by a maintained iCalendar parser (ical.js): it must be valid
// RFC 5545 and mean what the booking says.
import ICAL from 'ical.js';
import { bookingIcs } from '@adapters/web/ics.js';
import { aView } from '../../builders/public-booking-view.builder.js';

function parse(text: string) {
  const calendar = new ICAL.Component(ICAL.parse(text));
  const vevent = calendar.getFirstSubcomponent('vevent')!;
  return { calendar, vevent, event: new ICAL.Event(vevent) };
}

describe('the booking .ics, parsed with ical.js', () => {
  it('a Teams booking: METHOD:PUBLISH, UID the booking id, UTC start and end, the link as URL and LOCATION', () => {
    const view = aView();
    const { calendar, vevent, event } = parse(
      bookingIcs(view, { sequence: 0, stamp: new Date('2026-12-06T10:00:00Z') }),
    );
    expect(calendar.getFirstPropertyValue('method')).toBe('PUBLISH');
    expect(event.uid).toBe(view.id);
    expect(event.startDate.toJSDate().toISOString()).toBe('2027-03-28T00:30:00.000Z');
    expect(event.endDate.toJSDate().toISOString()).toBe('2027-03-28T01:30:00.000Z');
    expect(event.startDate.zone.tzid).toBe('UTC');
    expect(event.summary).toBe(view.title);
    expect(event.location).toBe(view.location.joinUrl);
    expect(vevent.getFirstPropertyValue('url')).toBe(view.location.joinUrl);
    expect(event.sequence).toBe(0);
    expect(event.description).toContain(view.manageUrl);
  });

  it('SEQUENCE follows the revision; a cancelled booking says so', () => {
    const { event, vevent } = parse(
      bookingIcs(aView({ status: 'cancelled' }), { sequence: 2, stamp: new Date('2026-12-07T10:00:00Z') }),
    );
    expect(event.sequence).toBe(2);
    expect(vevent.getFirstPropertyValue('status')).toBe('CANCELLED');
  });

  it('long and accented text comes back whole after unfolding', () => {
    const title = 'Réunion ☕, suivi; « bilan » '.repeat(6).trim();
    const { event } = parse(bookingIcs(aView({ title }), { sequence: 0, stamp: new Date() }));
    expect(event.summary).toBe(title);
  });
});
