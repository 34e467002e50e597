// A rescheduled booking's own Outlook event does not block its new time: exactly one item, on the host's own
// calendar, at exactly the times last written to the event.
import { withoutOwnEvent } from '@domain/availability/own-event.js';
import type { CalendarItem } from '@domain/availability/availability-policy.js';

const HOST = 'Host@Contoso.com';
const item = (start: number, end: number, calendar = 'host@contoso.com'): CalendarItem => ({
  start,
  end,
  status: 'busy',
  calendar,
});

describe('withoutOwnEvent', () => {
  it('drops the one item at the event times on the host calendar, whatever the case of its address', () => {
    const items = [item(0, 10), item(10, 20), item(20, 30)];
    expect(withoutOwnEvent(items, { start: 10, end: 20 }, HOST)).toEqual([item(0, 10), item(20, 30)]);
  });

  it('drops only one of two identical items: the other is another event at the same time', () => {
    expect(withoutOwnEvent([item(10, 20), item(10, 20)], { start: 10, end: 20 }, HOST)).toEqual([
      item(10, 20),
    ]);
  });

  it('keeps a room at the same times, items that only overlap, and everything when the event is unknown', () => {
    const room = item(10, 20, 'room@contoso.com');
    expect(withoutOwnEvent([room], { start: 10, end: 20 }, HOST)).toEqual([room]);
    expect(withoutOwnEvent([item(10, 21), item(9, 20)], { start: 10, end: 20 }, HOST)).toEqual([
      item(10, 21),
      item(9, 20),
    ]);
    expect(withoutOwnEvent([item(10, 20)], null, HOST)).toEqual([item(10, 20)]);
  });
});
