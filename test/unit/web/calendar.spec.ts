// The booking page's day arithmetic (src/adapters/web/assets/calendar.js, the very module the browser
// loads): weeks that cross a daylight-saving change keep seven days, each starting at its local midnight,
// and slots fall on the day the guest's zone says.
// @ts-expect-error -- a browser module in plain JavaScript (no type declarations): the test takes it as is.
import * as calendar from '../../../src/adapters/web/assets/calendar.js';

const { addDays, dayKey, groupByDay, startOfDay, weekDays, weekStart } = calendar;

const iso = (ms: number) => new Date(ms).toISOString();

describe('calendar days in a zone', () => {
  it('a European spring-forward week: seven days; Sunday 29 March 2026 is 23 hours long', () => {
    const week = weekDays(weekStart('2026-03-26', 1));
    expect(week).toEqual([
      '2026-03-23',
      '2026-03-24',
      '2026-03-25',
      '2026-03-26',
      '2026-03-27',
      '2026-03-28',
      '2026-03-29',
    ]);
    expect(iso(startOfDay('2026-03-29', 'Europe/Paris'))).toBe('2026-03-28T23:00:00.000Z');
    expect(iso(startOfDay('2026-03-30', 'Europe/Paris'))).toBe('2026-03-29T22:00:00.000Z');
    expect(startOfDay('2026-03-30', 'Europe/Paris') - startOfDay('2026-03-29', 'Europe/Paris')).toBe(
      23 * 3600_000,
    );
  });

  it('an autumn fall-back week (US): Sunday 1 November 2026 is 25 hours long, weeks starting on Sunday', () => {
    const start = weekStart('2026-11-04', 7);
    expect(start).toBe('2026-11-01');
    expect(weekDays(start)[6]).toBe('2026-11-07');
    const zone = 'America/New_York';
    expect(iso(startOfDay('2026-11-01', zone))).toBe('2026-11-01T04:00:00.000Z');
    expect(startOfDay('2026-11-02', zone) - startOfDay('2026-11-01', zone)).toBe(25 * 3600_000);
  });

  it('a zone whose clocks skip midnight: the day starts when they jump', () => {
    // Chile moved from -04 to -03 at 24:00 on 5 September 2026 (local midnight does not exist on the 6th).
    const zone = 'America/Santiago';
    const start = startOfDay('2026-09-06', zone);
    expect(dayKey(start, zone)).toBe('2026-09-06');
    expect(dayKey(start - 1, zone)).toBe('2026-09-05');
  });

  it('groups slots by the day of their start in the guest zone, across the change', () => {
    // Slots every 30 minutes, 00:00–06:00 UTC, on the nights around the switch.
    const slots = [];
    for (let day = 28; day <= 29; day++) {
      for (let m = 0; m < 360; m += 30) {
        const start = Date.UTC(2026, 2, day, 0, m);
        slots.push({ start: iso(start), end: iso(start + 30 * 60_000) });
      }
    }
    const paris = groupByDay(slots, 'Europe/Paris');
    const times = (key: string) =>
      paris.get(key)!.map((s: { start: string }) =>
        new Intl.DateTimeFormat('en-GB', {
          timeZone: 'Europe/Paris',
          hour: '2-digit',
          minute: '2-digit',
        }).format(new Date(s.start)),
      );
    expect(times('2026-03-28')).toEqual([
      '01:00',
      '01:30',
      '02:00',
      '02:30',
      '03:00',
      '03:30',
      '04:00',
      '04:30',
      '05:00',
      '05:30',
      '06:00',
      '06:30',
    ]);
    // After 01:00 UTC the clocks read 03:00: no 02:xx on the Sunday, and nothing lost or doubled.
    expect(times('2026-03-29')).toEqual([
      '01:00',
      '01:30',
      '03:00',
      '03:30',
      '04:00',
      '04:30',
      '05:00',
      '05:30',
      '06:00',
      '06:30',
      '07:00',
      '07:30',
    ]);
    const la = groupByDay(slots, 'America/Los_Angeles');
    expect([...la.keys()]).toEqual(['2026-03-27', '2026-03-28']);
    expect([...la.values()].flat()).toHaveLength(slots.length);
  });

  it('counts days on the calendar, across months and years', () => {
    expect(addDays('2026-12-30', 3)).toBe('2027-01-02');
    expect(addDays('2027-03-01', -1)).toBe('2027-02-28');
    expect(weekStart('2027-01-01', 1)).toBe('2026-12-28');
  });
});
