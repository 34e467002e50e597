// Hand-checked slot engine cases: touching busy time, buffers, DST gaps and repeats, Lord Howe's half
// hour, "24:00", overrides, notice/horizon/range edges, round robin and per-host policies.
import {
  computeSlots,
  type BusyInterval,
  type EventPolicy,
  type HostAvailability,
  type SlotQuery,
} from '@domain/availability/slot-engine.js';
import { DomainError } from '@domain/shared/domain-error.js';

const at = (iso: string) => Date.parse(iso);
const busy = (start: string, end: string, extra: Partial<BusyInterval> = {}): BusyInterval => ({
  start: at(start),
  end: at(end),
  ...extra,
});

function host(over: Partial<HostAvailability> = {}): HostAvailability {
  return { hostId: 'h1', timeZone: 'Europe/Paris', weekly: {}, busy: [], ...over };
}

function query(
  hosts: HostAvailability[],
  event: Partial<EventPolicy> = {},
  over: Partial<SlotQuery> = {},
): SlotQuery {
  return {
    now: at('2027-01-01T00:00:00Z'),
    range: { start: at('2027-01-01T00:00:00Z'), end: at('2028-01-01T00:00:00Z') },
    event: { durationMinutes: 30, slotIntervalMinutes: 30, ...event },
    hosts,
    ...over,
  };
}

/** Slot starts as ISO UTC strings. */
const starts = (q: SlotQuery) => computeSlots(q).map((s) => new Date(s.start).toISOString());
const utc = (day: string, ...times: string[]) => times.map((t) => `${day}T${t}:00.000Z`);

// Paris on Monday 8 March 2027 is +01: 09:00–12:00 local is 08:00–11:00Z.
const parisMorning = host({ weekly: { mon: [[540, 720]] } });
const mondayOnly = { range: { start: at('2027-03-08T00:00:00Z'), end: at('2027-03-09T00:00:00Z') } };

describe('computeSlots', () => {
  test('busy time blocks half-open: a slot may end where busy time starts or start where it ends', () => {
    const q = query(
      [{ ...parisMorning, busy: [busy('2027-03-08T09:00:00Z', '2027-03-08T09:30:00Z')] }],
      {},
      mondayOnly,
    );
    expect(starts(q)).toEqual(utc('2027-03-08', '08:00', '08:30', '09:30', '10:00', '10:30'));
  });

  test('buffers are checked against busy time only, and may touch it', () => {
    const b = [busy('2027-03-08T09:00:00Z', '2027-03-08T09:30:00Z')];
    const q1 = query(
      [{ ...parisMorning, busy: b }],
      { bufferBeforeMinutes: 15, bufferAfterMinutes: 15 },
      mondayOnly,
    );
    // Blocked: s − 15 < 09:30 and s + 45 > 09:00. 08:00's before-buffer lies outside working hours: fine.
    expect(starts(q1)).toEqual(utc('2027-03-08', '08:00', '10:00', '10:30'));
    const q2 = query(
      [{ ...parisMorning, busy: b }],
      { bufferBeforeMinutes: 30, bufferAfterMinutes: 30 },
      mondayOnly,
    );
    // 08:00 + 30 + 30 touches 09:00; 10:00 − 30 touches 09:30.
    expect(starts(q2)).toEqual(utc('2027-03-08', '08:00', '10:00', '10:30'));
  });

  test('unsorted, overlapping and empty busy items', () => {
    const b = [
      busy('2027-03-08T10:00:00Z', '2027-03-08T10:20:00Z'),
      busy('2027-03-08T08:10:00Z', '2027-03-08T08:40:00Z'),
      busy('2027-03-08T08:20:00Z', '2027-03-08T08:25:00Z'),
      busy('2027-03-08T09:15:00Z', '2027-03-08T09:15:00Z'),
    ];
    expect(starts(query([{ ...parisMorning, busy: b }], {}, mondayOnly))).toEqual(
      utc('2027-03-08', '09:00', '09:30', '10:30'),
    );
  });

  test('New York spring-forward: 02:00 does not exist', () => {
    // Sunday 14 March 2027, hours 01:00–04:00 local = 06:00Z–08:00Z.
    const q = query([host({ timeZone: 'America/New_York', weekly: { sun: [[60, 240]] } })], {
      durationMinutes: 60,
      slotIntervalMinutes: 60,
    });
    expect(starts(q).filter((s) => s.startsWith('2027-03-14'))).toEqual(utc('2027-03-14', '06:00', '07:00'));
    // A normal Sunday has three.
    expect(starts(q).filter((s) => s.startsWith('2027-03-07'))).toEqual(
      utc('2027-03-07', '06:00', '07:00', '08:00'),
    );
  });

  test('hours that start inside the gap start just after it', () => {
    // 02:30 is read at -05 (07:30Z = 03:30 EDT); 05:00 EDT = 09:00Z.
    const q = query([host({ timeZone: 'America/New_York', weekly: { sun: [[150, 300]] } })]);
    expect(starts(q).filter((s) => s.startsWith('2027-03-14'))).toEqual(
      utc('2027-03-14', '07:30', '08:00', '08:30'),
    );
  });

  test('New York fall-back: 00:00–03:00 is four hours and 01:00 is offered twice', () => {
    const q = query([host({ timeZone: 'America/New_York', weekly: { sun: [[0, 180]] } })], {
      durationMinutes: 60,
      slotIntervalMinutes: 60,
    });
    expect(starts(q).filter((s) => s.startsWith('2027-11-07'))).toEqual(
      utc('2027-11-07', '04:00', '05:00', '06:00', '07:00'),
    );
  });

  test('Lord Howe: the clock goes back half an hour, 01:30 comes twice', () => {
    // Sunday 4 April 2027 01:00–03:00: 01:00 +11 = 14:00Z (3 April) to 03:00 +10:30 = 16:30Z.
    const q = query([host({ timeZone: 'Australia/Lord_Howe', weekly: { sun: [[60, 180]] } })]);
    expect(starts(q).filter((s) => s.startsWith('2027-04-03'))).toEqual(
      utc('2027-04-03', '14:00', '14:30', '15:00', '15:30', '16:00'),
    );
  });

  test('"24:00" ends a day, and the hours either side of midnight join', () => {
    const evening = { mon: [[1320, 1440]] as const };
    const joined = host({ weekly: { ...evening, tue: [[0, 120]] } });
    const q = query(
      [joined],
      { durationMinutes: 180 },
      { range: { start: at('2027-03-08T00:00:00Z'), end: at('2027-03-10T00:00:00Z') } },
    );
    expect(starts(q)).toEqual([
      '2027-03-08T21:00:00.000Z',
      '2027-03-08T21:30:00.000Z',
      '2027-03-08T22:00:00.000Z',
    ]);
    expect(starts({ ...q, hosts: [host({ weekly: evening })] })).toEqual([]);
  });

  test('overrides replace the weekly hours of their date, as a Map or a record', () => {
    const off = query([{ ...parisMorning, overrides: new Map([['2027-03-08', []]]) }], {}, mondayOnly);
    expect(starts(off)).toEqual([]);
    const other = query([{ ...parisMorning, overrides: { '2027-03-08': [[600, 660]] } }], {}, mondayOnly);
    expect(starts(other)).toEqual(utc('2027-03-08', '09:00', '09:30'));
    // An override on another date changes nothing.
    const elsewhere = query([{ ...parisMorning, overrides: { '2027-03-09': [] } }], {}, mondayOnly);
    expect(starts(elsewhere)).toHaveLength(6);
  });

  test('notice, range end and a strict horizon', () => {
    const twoDays = host({ weekly: { mon: [[540, 720]], tue: [[540, 720]] } });
    const range = { start: at('2027-03-08T00:00:00Z'), end: at('2027-03-10T00:00:00Z') };
    // now + 60 min = 09:10Z: the first start is 09:30Z.
    const notice = query([twoDays], { minimumNoticeMinutes: 60 }, { now: at('2027-03-08T08:10:00Z'), range });
    expect(starts(notice).slice(0, 2)).toEqual(utc('2027-03-08', '09:30', '10:00'));
    // A slot may end exactly at the range end.
    const shortRange = query(
      [twoDays],
      {},
      { range: { start: range.start, end: at('2027-03-08T10:00:00Z') } },
    );
    expect(starts(shortRange)).toEqual(utc('2027-03-08', '08:00', '08:30', '09:00', '09:30'));
    // One day ahead of 08:30Z Monday is 08:30Z Tuesday, excluded.
    const horizon = query([twoDays], { maxDaysAhead: 1 }, { now: at('2027-03-08T08:30:00Z'), range });
    expect(starts(horizon)).toEqual([
      ...utc('2027-03-08', '08:30', '09:00', '09:30', '10:00', '10:30'),
      '2027-03-09T08:00:00.000Z',
    ]);
  });

  test('a slot interval that does not divide the day restarts at local midnight', () => {
    // Kolkata 22:00–24:00 and 00:00–02:00: on a 50-minute grid 22:30, 23:20, then 00:00, 00:50.
    const kolkata = host({ timeZone: 'Asia/Kolkata', weekly: { sat: [[1320, 1440]], sun: [[0, 120]] } });
    const q = query(
      [kolkata],
      { durationMinutes: 50, slotIntervalMinutes: 50 },
      {
        range: { start: at('2027-03-13T00:00:00Z'), end: at('2027-03-15T00:00:00Z') },
      },
    );
    expect(starts(q)).toEqual(utc('2027-03-13', '17:00', '17:50', '18:30', '19:20'));
  });

  test('round robin: each start with the hosts that offer it, in query order', () => {
    // Kolkata 13:30–14:30 IST and Paris 09:00–10:00 CET are both 08:00–09:00Z.
    const kolkata = host({
      hostId: 'kolkata',
      timeZone: 'Asia/Kolkata',
      weekly: { mon: [[810, 870]] },
      busy: [busy('2027-03-08T08:30:00Z', '2027-03-08T09:00:00Z')],
    });
    const paris = host({ hostId: 'paris', weekly: { mon: [[540, 600]] } });
    const slots = computeSlots(query([kolkata, paris], {}, mondayOnly));
    expect(slots).toEqual([
      { start: at('2027-03-08T08:00:00Z'), end: at('2027-03-08T08:30:00Z'), hostIds: ['kolkata', 'paris'] },
      { start: at('2027-03-08T08:30:00Z'), end: at('2027-03-08T09:00:00Z'), hostIds: ['paris'] },
    ]);
  });

  test('round robin groups the same way when starts are not whole minutes after the range start', () => {
    const a = host({ hostId: 'a', weekly: { mon: [[540, 600]] } });
    const b = host({ hostId: 'b', timeZone: 'Asia/Kolkata', weekly: { mon: [[810, 900]] } });
    const whole = computeSlots(query([a, b], {}, mondayOnly));
    const offset = computeSlots(
      query([a, b], {}, { range: { ...mondayOnly.range, start: at('2027-03-08T00:00:30Z') } }),
    );
    expect(whole.map((s) => s.hostIds.join())).toEqual(['a,b', 'a,b', 'b']);
    expect(offset).toEqual(whole);
  });

  test('per-host policy numbers win over the event defaults', () => {
    const b = [busy('2027-03-08T09:00:00Z', '2027-03-08T09:30:00Z')];
    const strict = {
      ...parisMorning,
      hostId: 'strict',
      busy: b,
      policy: { bufferAfterMinutes: 60, maxDaysAhead: null },
    };
    const relaxed = { ...parisMorning, hostId: 'relaxed', busy: b };
    const slots = computeSlots(
      query([strict, relaxed], { maxDaysAhead: 1 }, { ...mondayOnly, now: at('2027-03-08T00:00:00Z') }),
    );
    expect(slots.map((s) => [new Date(s.start).toISOString().slice(11, 16), s.hostIds.join()])).toEqual([
      ['08:00', 'relaxed'],
      ['08:30', 'relaxed'],
      ['09:30', 'strict,relaxed'],
      ['10:00', 'strict,relaxed'],
      ['10:30', 'strict,relaxed'],
    ]);
  });

  test('collective: only the starts every host offers, each under its own hours, buffers and notice', () => {
    // Kolkata 13:30–15:00 IST is 08:00–09:30Z; Paris 09:00–12:00 CET is 08:00–11:00Z.
    const kolkata = host({ hostId: 'kolkata', timeZone: 'Asia/Kolkata', weekly: { mon: [[810, 900]] } });
    const paris = host({
      hostId: 'paris',
      weekly: { mon: [[540, 720]] },
      busy: [busy('2027-03-08T09:15:00Z', '2027-03-08T09:30:00Z')],
      // Paris's own 30 minutes after a meeting: 08:30 + 30 + 30 reaches the 09:15 item.
      policy: { bufferAfterMinutes: 30 },
    });
    const slots = computeSlots(query([kolkata, paris], {}, { ...mondayOnly, hostsNeeded: 'all' }));
    expect(slots).toEqual([
      { start: at('2027-03-08T08:00:00Z'), end: at('2027-03-08T08:30:00Z'), hostIds: ['kolkata', 'paris'] },
    ]);
    // The same hosts as a round robin offer every start either offers.
    expect(starts(query([kolkata, paris], {}, mondayOnly))).toEqual(
      utc('2027-03-08', '08:00', '08:30', '09:00', '09:30', '10:00', '10:30'),
    );
    // One host's notice is everyone's: with 45 minutes of Kolkata's, 08:00 goes.
    const late = { ...kolkata, policy: { minimumNoticeMinutes: 45 } };
    const now = at('2027-03-08T07:30:00Z');
    expect(computeSlots(query([late, paris], {}, { ...mondayOnly, now, hostsNeeded: 'all' }))).toEqual([]);
  });

  test('collective: a host at a booking limit takes the start from everyone', () => {
    const a = host({ hostId: 'a', weekly: { mon: [[540, 600]] } });
    const b = host({
      hostId: 'b',
      weekly: { mon: [[540, 600]] },
      limitedBookings: [{ start: at('2027-03-08T06:00:00Z'), end: at('2027-03-08T06:30:00Z') }],
    });
    const q = query([a, b], { limits: { perDay: 1 } }, { ...mondayOnly, hostsNeeded: 'all' });
    expect(computeSlots(q)).toEqual([]);
    expect(computeSlots({ ...q, hostsNeeded: 'any' }).map((s) => s.hostIds.join())).toEqual(['a', 'a']);
  });

  test('slot interval defaults to the duration', () => {
    const q = query([parisMorning], { durationMinutes: 60, slotIntervalMinutes: undefined }, mondayOnly);
    expect(starts(q)).toEqual(utc('2027-03-08', '08:00', '09:00', '10:00'));
  });

  test('bad input is a validation error', () => {
    expect(() => computeSlots(query([host({ timeZone: 'Nowhere/Else' })]))).toThrow(DomainError);
    expect(() => computeSlots(query([parisMorning], { durationMinutes: 0 }))).toThrow(DomainError);
    expect(() => computeSlots(query([{ ...parisMorning, overrides: { '8 March': [] } }]))).toThrow(
      DomainError,
    );
  });

  test('no hosts, or an empty range, offer nothing', () => {
    expect(computeSlots(query([]))).toEqual([]);
    expect(
      computeSlots(
        query(
          [parisMorning],
          {},
          { range: { start: at('2027-03-08T09:00:00Z'), end: at('2027-03-08T09:00:00Z') } },
        ),
      ),
    ).toEqual([]);
  });
});

describe('computeSlots with booking limits', () => {
  // Tokyo (+09, no DST): 09:00–12:00 local is 00:00–03:00Z. Monday 8 March 2027 local.
  const tokyo = (limitedBookings: { start: number; end: number }[]) =>
    host({
      timeZone: 'Asia/Tokyo',
      weekly: { mon: [[540, 720]], tue: [[540, 720]], sun: [[540, 720]] },
      limitedBookings,
    });
  const meeting = (iso: string, minutes = 30) => ({ start: at(iso), end: at(iso) + minutes * 60_000 });
  const tokyoWeek = { range: { start: at('2027-03-07T00:00:00Z'), end: at('2027-03-10T00:00:00Z') } };

  test('perDay counts the bookings starting on the host’s local day, not the UTC day', () => {
    // 2027-03-07T23:30Z is Monday 08:30 in Tokyo: it counts for Monday, not for Sunday.
    const q = query([tokyo([meeting('2027-03-07T23:30:00Z')])], { limits: { perDay: 1 } }, tokyoWeek);
    const offered = starts(q);
    expect(offered.filter((s) => s.startsWith('2027-03-07T0'))).toHaveLength(6); // Sunday's morning, all of it
    expect(offered.some((s) => s >= '2027-03-08T00:00' && s < '2027-03-08T03:00')).toBe(false); // Monday: full
    expect(offered.filter((s) => s.startsWith('2027-03-09T0'))).toHaveLength(6); // Tuesday
  });

  test('perWeek counts from Monday 00:00 to Sunday 24:00 in the host’s zone', () => {
    // Sunday 7 March (Tokyo) ends the week of 1 March; a booking then does not fill the week of 8 March.
    const q = query(
      [tokyo([meeting('2027-03-07T01:00:00Z'), meeting('2027-03-01T00:00:00Z')])],
      { limits: { perWeek: 2 } },
      tokyoWeek,
    );
    const offered = starts(q);
    expect(offered.some((s) => s.startsWith('2027-03-07'))).toBe(false);
    expect(offered.filter((s) => s.startsWith('2027-03-08T0'))).toHaveLength(6);
  });

  test('minimumGapMinutes keeps the gap on both sides of each booking of the type, and may touch it', () => {
    // Paris Monday 09:00–12:00 local = 08:00–11:00Z; a booking 09:30–10:00Z, gap 30.
    const q = query(
      [{ ...parisMorning, limitedBookings: [meeting('2027-03-08T09:30:00Z')] }],
      { limits: { minimumGapMinutes: 30 } },
      mondayOnly,
    );
    expect(starts(q)).toEqual(utc('2027-03-08', '08:00', '08:30', '10:30'));
  });

  test('without limits the type’s bookings change nothing (they block only as busy time)', () => {
    const q = query(
      [{ ...parisMorning, limitedBookings: [meeting('2027-03-08T09:00:00Z')] }],
      {},
      mondayOnly,
    );
    expect(starts(q)).toHaveLength(6);
  });

  test('round robin: a host at its limit leaves the start to the others', () => {
    const full = { ...parisMorning, hostId: 'full', limitedBookings: [meeting('2027-03-08T08:00:00Z')] };
    const free = { ...parisMorning, hostId: 'free', limitedBookings: [] };
    const slots = computeSlots(query([full, free], { limits: { perDay: 1 } }, mondayOnly));
    expect(slots.map((s) => s.hostIds)).toEqual(Array.from({ length: 6 }, () => ['free']));
  });
});
