// Explain: per host, whether one start is offered and every reason it is not.
import type { BusyInterval, HostAvailability, SlotQuery } from '@domain/availability/slot-engine.js';
import { explainStart, type ExplainReasonCode } from '@domain/availability/slot-explainer.js';

const at = (iso: string) => Date.parse(iso);

const meeting: BusyInterval = {
  start: at('2027-03-08T09:00:00Z'),
  end: at('2027-03-08T09:30:00Z'),
  status: 'busy',
  calendar: 'Calendar',
  source: 'calendar',
  id: 'evt-1',
};
const booking: BusyInterval = {
  start: at('2027-03-08T10:00:00Z'),
  end: at('2027-03-08T10:30:00Z'),
  status: 'busy',
  calendar: 'Calendar',
  source: 'booking',
  id: 'bkg-1',
};
const tentative: BusyInterval = {
  start: at('2027-03-08T09:20:00Z'),
  end: at('2027-03-08T09:40:00Z'),
  status: 'tentative',
  calendar: 'Team',
};

// Paris, Monday 8 March 2027: 09:00–12:00 local = 08:00–11:00Z.
const paris: HostAvailability = {
  hostId: 'paris',
  timeZone: 'Europe/Paris',
  weekly: { mon: [[540, 720]], tue: [[540, 720]] },
  overrides: { '2027-03-09': [] },
  busy: [meeting, booking, tentative],
};

const query: SlotQuery = {
  now: at('2027-03-08T07:00:00Z'),
  range: { start: at('2027-03-08T00:00:00Z'), end: at('2027-03-15T00:00:00Z') },
  event: { durationMinutes: 30, slotIntervalMinutes: 15, bufferBeforeMinutes: 10, bufferAfterMinutes: 10 },
  hosts: [paris],
};

const codes = (q: SlotQuery, iso: string) =>
  explainStart(q, at(iso)).hosts.map((h) => h.reasons.map((r) => r.code));

describe('explainStart', () => {
  test('an offered start has no reasons', () => {
    const e = explainStart(query, at('2027-03-08T08:00:00Z'));
    expect(e).toEqual({
      start: at('2027-03-08T08:00:00Z'),
      end: at('2027-03-08T08:30:00Z'),
      offered: true,
      hosts: [{ hostId: 'paris', offered: true, reasons: [] }],
    });
  });

  test('busy items come with their status and calendar; bookings are named as such', () => {
    const e = explainStart(query, at('2027-03-08T09:15:00Z'));
    expect(e.offered).toBe(false);
    expect(e.hosts[0].reasons).toEqual([
      { code: 'busy', item: meeting },
      { code: 'busy', item: tentative },
    ]);
    // [09:30, 10:00) with buffers [09:20, 10:10): the meeting and the booking only touch the buffers.
    expect(explainStart(query, at('2027-03-08T09:30:00Z')).hosts[0].reasons).toEqual([
      { code: 'buffer', item: meeting },
      { code: 'buffer', item: booking },
      { code: 'busy', item: tentative },
    ]);
    expect(codes(query, '2027-03-08T10:00:00Z')).toEqual([['booking']]);
  });

  test('an item that only overlaps the buffers is a buffer reason', () => {
    // [08:20, 08:50) + 10 min after reaches 09:00: touching, fine; 08:30 reaches 09:10: buffer.
    expect(codes(query, '2027-03-08T08:15:00Z')).toEqual([[]]);
    expect(explainStart(query, at('2027-03-08T08:30:00Z')).hosts[0].reasons).toEqual([
      { code: 'buffer', item: meeting },
    ]);
  });

  test('outside hours, with the override that made the day off', () => {
    expect(codes(query, '2027-03-08T11:00:00Z')).toEqual([['outside_hours']]);
    const e = explainStart(query, at('2027-03-09T08:00:00Z'));
    expect(e.hosts[0].reasons).toEqual([
      { code: 'outside_hours', localStart: '2027-03-09T09:00', localEnd: '2027-03-09T09:30' },
      { code: 'override', localDate: '2027-03-09', intervals: [] },
    ]);
  });

  test('every reason at once: grid, hours, notice, range and busy', () => {
    // 07:05Z is 08:05 in Paris: off the 15-minute grid, before hours, before now + notice and the range.
    const q = {
      ...query,
      now: at('2027-03-08T07:00:00Z'),
      range: { ...query.range, start: at('2027-03-08T07:30:00Z') },
    };
    const withNotice = { ...q, event: { ...q.event, minimumNoticeMinutes: 60 } };
    expect(codes(withNotice, '2027-03-08T07:05:00Z')).toEqual([
      ['not_on_grid', 'outside_hours', 'notice', 'range'],
    ]);
  });

  test('the horizon is strict and can differ per host', () => {
    const q: SlotQuery = {
      ...query,
      now: at('2027-03-07T08:00:00Z'),
      event: { ...query.event, maxDaysAhead: 1 },
      hosts: [paris, { ...paris, hostId: 'far', policy: { maxDaysAhead: 7 } }],
    };
    const e = explainStart(q, at('2027-03-08T08:00:00Z'));
    expect(e.hosts.map((h) => [h.hostId, h.offered, h.reasons.map((r) => r.code)])).toEqual([
      ['paris', false, ['horizon'] satisfies ExplainReasonCode[]],
      ['far', true, []],
    ]);
    expect(e.offered).toBe(true);
  });

  test('a wall time in the DST gap: the start that exists is explained, the off-grid one too', () => {
    const ny: HostAvailability = {
      hostId: 'ny',
      timeZone: 'America/New_York',
      weekly: { sun: [[60, 240]] },
      busy: [],
    };
    const q: SlotQuery = {
      now: at('2027-03-01T00:00:00Z'),
      range: { start: at('2027-03-01T00:00:00Z'), end: at('2027-04-01T00:00:00Z') },
      event: { durationMinutes: 60 },
      hosts: [ny],
    };
    // 07:00Z is 03:00 EDT, right after the gap: offered.
    expect(codes(q, '2027-03-14T07:00:00Z')).toEqual([[]]);
    // 06:30Z is 01:30 EST: not on the hourly grid.
    expect(explainStart(q, at('2027-03-14T06:30:00Z')).hosts[0].reasons).toEqual([
      { code: 'not_on_grid', localStart: '2027-03-14T01:30', slotIntervalMinutes: 60 },
    ]);
  });
});

describe('explainStart with booking limits', () => {
  const nine = at('2027-03-08T08:00:00Z');
  const limited: HostAvailability = {
    hostId: 'limited',
    timeZone: 'Europe/Paris',
    weekly: { mon: [[540, 720]] },
    busy: [],
    limitedBookings: [
      { start: at('2027-03-08T09:00:00Z'), end: at('2027-03-08T09:30:00Z'), id: 'bkg-1' },
      { start: at('2027-03-08T10:30:00Z'), end: at('2027-03-08T11:00:00Z'), id: 'bkg-2' },
    ],
  };
  const explain = (limits: SlotQuery['event']['limits'], start = nine) =>
    explainStart(
      {
        now: at('2027-03-08T07:00:00Z'),
        range: { start: at('2027-03-08T00:00:00Z'), end: at('2027-03-09T00:00:00Z') },
        event: { durationMinutes: 30, limits },
        hosts: [limited],
      },
      start,
    ).hosts[0]!;

  test('names the day and week limits reached, with the count', () => {
    expect(explain({ perDay: 2, perWeek: 2 }).reasons).toEqual([
      { code: 'limit', broken: { limit: 'perDay', max: 2, count: 2 } },
      { code: 'limit', broken: { limit: 'perWeek', max: 2, count: 2 } },
    ]);
    expect(explain({ perDay: 3, perWeek: 3 }).offered).toBe(true);
  });

  test('names the booking closer than the gap', () => {
    const reasons = explain({ minimumGapMinutes: 45 }).reasons;
    expect(reasons).toEqual([
      { code: 'limit', broken: { limit: 'minimumGap', minutes: 45, booking: limited.limitedBookings![0] } },
    ]);
    expect(explain({ minimumGapMinutes: 30 }).offered).toBe(true);
  });
});
