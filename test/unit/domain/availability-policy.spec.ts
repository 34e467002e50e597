// The availability policy: every rule of a client's settings reported with its field, the default policy,
// which calendar items block, and the slot engine's view of the policy.
import {
  AvailabilityPolicy,
  MAX_EXTRA_CALENDARS,
  type AvailabilitySettings,
} from '@domain/availability/availability-policy.js';
import { formatInZone, zoneFormatter } from '@domain/availability/offset-time.js';
import { DomainError } from '@domain/shared/domain-error.js';
import { someSettings } from '../../builders/availability.builder.js';

const now = new Date('2026-12-01T08:00:00Z');

function define(overrides: Partial<AvailabilitySettings> | Record<string, unknown>) {
  return AvailabilityPolicy.define({
    workspaceId: 'ws',
    memberId: 'm',
    settings: { ...someSettings(), ...overrides } as AvailabilitySettings,
    now,
  });
}

function fieldErrors(overrides: Partial<AvailabilitySettings> | Record<string, unknown>) {
  try {
    define(overrides);
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('VALIDATION_FAILED');
    return (error as DomainError).errors;
  }
  throw new Error('expected a validation failure');
}

const fields = (overrides: Partial<AvailabilitySettings> | Record<string, unknown>) =>
  fieldErrors(overrides).map((e) => e.field);

describe('AvailabilityPolicy.define', () => {
  it('accepts valid settings and normalises the order of days and dates', () => {
    const policy = define({
      weekly: [
        { day: 'wed', intervals: [{ start: '13:00', end: '24:00' }] },
        {
          day: 'mon',
          intervals: [
            { start: '09:00', end: '12:00' },
            { start: '12:00', end: '17:00' },
          ],
        },
      ],
      overrides: [
        { date: '2026-12-31', intervals: [{ start: '10:00', end: '12:00' }] },
        { date: '2026-12-24', intervals: [] },
      ],
      extraCalendars: [' room-1@contoso.com '],
    });
    const s = policy.toSnapshot();
    expect(s.weekly.map((e) => e.day)).toEqual(['mon', 'wed']);
    expect(s.overrides.map((o) => o.date)).toEqual(['2026-12-24', '2026-12-31']);
    expect(s.extraCalendars).toEqual(['room-1@contoso.com']);
    expect(policy.isDefault).toBe(false);
  });

  it('refuses an unknown time zone', () => {
    expect(fields({ timeZone: 'Mars/Olympus' })).toEqual(['timeZone']);
  });

  it('refuses an interval whose start is not before its end, and malformed wall times', () => {
    expect(
      fieldErrors({
        weekly: [
          {
            day: 'mon',
            intervals: [
              { start: '17:00', end: '09:00' },
              { start: '9:00', end: '10:00' },
              { start: '10:00', end: '24:01' },
              { start: '24:00', end: '24:00' },
            ],
          },
        ],
      }),
    ).toEqual([
      { field: 'weekly.0.intervals.0', message: 'start must be before end' },
      { field: 'weekly.0.intervals.1.start', message: expect.any(String) },
      { field: 'weekly.0.intervals.2.end', message: expect.any(String) },
      { field: 'weekly.0.intervals.3.start', message: expect.any(String) },
    ]);
  });

  it('refuses overlapping intervals of one day but accepts touching ones', () => {
    expect(
      fields({
        weekly: [
          {
            day: 'tue',
            intervals: [
              { start: '09:00', end: '12:00' },
              { start: '11:00', end: '13:00' },
            ],
          },
        ],
      }),
    ).toEqual(['weekly.0.intervals.1']);
  });

  it('refuses a day listed twice, an unknown day, a date listed twice and an impossible date', () => {
    expect(
      fields({
        weekly: [
          { day: 'mon', intervals: [] },
          { day: 'mon', intervals: [] },
          { day: 'funday', intervals: [] },
        ],
        overrides: [
          { date: '2026-12-24', intervals: [] },
          { date: '2026-12-24', intervals: [] },
          { date: '2026-02-30', intervals: [] },
        ],
      }),
    ).toEqual(['weekly.1.day', 'weekly.2.day', 'overrides.1.date', 'overrides.2.date']);
  });

  it('refuses numbers out of range', () => {
    expect(
      fields({
        bufferBeforeMinutes: -1,
        bufferAfterMinutes: 721,
        minimumNoticeMinutes: 1.5,
        maxDaysAhead: 0,
      }),
    ).toEqual(['bufferBeforeMinutes', 'bufferAfterMinutes', 'minimumNoticeMinutes', 'maxDaysAhead']);
    expect(define({ maxDaysAhead: null }).toSnapshot().maxDaysAhead).toBeNull();
    expect(define({ maxDaysAhead: 730 }).toSnapshot().maxDaysAhead).toBe(730);
  });

  it('refuses unknown or repeated busy statuses, and explains that unknown always blocks', () => {
    const errors = fieldErrors({ busyStatuses: ['busy', 'busy', 'away', 'unknown'] });
    expect(errors.map((e) => e.field)).toEqual(['busyStatuses.1', 'busyStatuses.2', 'busyStatuses.3']);
    expect(errors[2].message).toMatch(/always blocks/);
    expect(define({ busyStatuses: [] }).toSnapshot().busyStatuses).toEqual([]);
  });

  it(`refuses more than ${MAX_EXTRA_CALENDARS} extra calendars, non-addresses and duplicates in any case`, () => {
    const many = Array.from({ length: MAX_EXTRA_CALENDARS + 1 }, (_, i) => `room-${i}@contoso.com`);
    expect(fields({ extraCalendars: many })).toEqual(['extraCalendars']);
    expect(define({ extraCalendars: many.slice(1) }).extraCalendars).toHaveLength(MAX_EXTRA_CALENDARS);
    expect(fields({ extraCalendars: ['Room@contoso.com', 'room@CONTOSO.com', 'not an address'] })).toEqual([
      'extraCalendars.1',
      'extraCalendars.2',
    ]);
  });

  it('reports every problem at once', () => {
    expect(fields({ timeZone: 'Nowhere', bufferBeforeMinutes: -5, extraCalendars: ['x'] })).toEqual([
      'timeZone',
      'bufferBeforeMinutes',
      'extraCalendars.0',
    ]);
  });
});

describe('the default policy', () => {
  it('is Monday to Friday 09:00–17:00 in the mailbox zone, with the defaults of API.md', () => {
    const policy = AvailabilityPolicy.defaultFor({
      workspaceId: 'ws',
      memberId: 'm',
      timeZone: 'Asia/Tokyo',
      now,
    });
    const s = policy.toSnapshot();
    expect(policy.isDefault).toBe(true);
    expect(s.timeZone).toBe('Asia/Tokyo');
    expect(s.weekly.map((e) => e.day)).toEqual(['mon', 'tue', 'wed', 'thu', 'fri']);
    expect(s.weekly[0].intervals).toEqual([{ start: '09:00', end: '17:00' }]);
    expect(s).toMatchObject({
      overrides: [],
      bufferBeforeMinutes: 0,
      bufferAfterMinutes: 0,
      minimumNoticeMinutes: 0,
      maxDaysAhead: null,
      busyStatuses: ['busy', 'oof', 'tentative'],
      extraCalendars: [],
    });
  });

  it('falls back to UTC without a mailbox zone, or with one this runtime does not know', () => {
    for (const timeZone of [null, 'Not/AZone']) {
      expect(
        AvailabilityPolicy.defaultFor({ workspaceId: 'ws', memberId: 'm', timeZone, now }).timeZone,
      ).toBe('UTC');
    }
  });
});

describe('which calendar items block', () => {
  const policy = define({ busyStatuses: ['busy', 'oof'], extraCalendars: ['Room-1@contoso.com'] });
  const item = (status: string, calendar = 'adele@contoso.com') =>
    ({ start: 0, end: 1, status, calendar }) as Parameters<AvailabilityPolicy['blocks']>[0];

  it("blocks on the member's own calendar exactly the listed statuses, and unknown always", () => {
    expect(
      ['busy', 'oof', 'tentative', 'free', 'workingElsewhere', 'unknown'].map((s) => policy.blocks(item(s))),
    ).toEqual([true, true, false, false, false, true]);
  });

  it('blocks on a room or shared mailbox for busy, oof, tentative and unknown, whatever the policy lists', () => {
    expect(
      ['busy', 'oof', 'tentative', 'free', 'workingElsewhere', 'unknown'].map((s) =>
        policy.blocks(item(s, 'room-1@CONTOSO.com')),
      ),
    ).toEqual([true, true, true, false, false, true]);
  });
});

describe("the slot engine's view", () => {
  it('turns wall times into minutes and carries the numbers of the policy', () => {
    const policy = define({
      timeZone: 'Europe/Paris',
      weekly: [{ day: 'fri', intervals: [{ start: '09:30', end: '24:00' }] }],
      overrides: [{ date: '2026-12-25', intervals: [] }],
      bufferBeforeMinutes: 5,
      bufferAfterMinutes: 10,
      minimumNoticeMinutes: 60,
      maxDaysAhead: 14,
    });
    expect(policy.toHostAvailability('h', [])).toEqual({
      hostId: 'h',
      timeZone: 'Europe/Paris',
      weekly: { fri: [[570, 1440]] },
      overrides: { '2026-12-25': [] },
      busy: [],
      policy: { bufferBeforeMinutes: 5, bufferAfterMinutes: 10, minimumNoticeMinutes: 60, maxDaysAhead: 14 },
    });
  });
});

describe('formatInZone', () => {
  const t = Date.parse('2026-12-01T09:00:00Z');
  it('writes the offset the zone has at that instant', () => {
    expect(formatInZone(t, 'Europe/Paris')).toBe('2026-12-01T10:00:00+01:00');
    expect(formatInZone(Date.parse('2026-07-01T09:00:00Z'), 'Europe/Paris')).toBe(
      '2026-07-01T11:00:00+02:00',
    );
    expect(formatInZone(t, 'America/New_York')).toBe('2026-12-01T04:00:00-05:00');
    expect(formatInZone(t, 'Asia/Kolkata')).toBe('2026-12-01T14:30:00+05:30');
    expect(formatInZone(t, 'Europe/London')).toBe('2026-12-01T09:00:00+00:00');
  });

  it('writes Z for UTC and keeps milliseconds when there are some', () => {
    expect(formatInZone(t, 'UTC')).toBe('2026-12-01T09:00:00Z');
    expect(formatInZone(t + 5, 'UTC')).toBe('2026-12-01T09:00:00.005Z');
    expect(formatInZone(t + 5, 'Europe/Paris')).toBe('2026-12-01T10:00:00.005+01:00');
  });
});

describe('zoneFormatter', () => {
  it('writes every instant of a window as formatInZone does, across offset changes and outside the window', () => {
    const from = Date.parse('2026-03-20T00:00:00Z');
    const to = Date.parse('2026-04-10T00:00:00Z');
    for (const zone of ['Europe/Paris', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata', 'UTC']) {
      const format = zoneFormatter(zone, from, to);
      for (let t = from - 86_400_000; t <= to + 86_400_000; t += 15 * 60_000 + 7) {
        expect(format(t)).toBe(formatInZone(t, zone));
      }
    }
  });

  it('refuses a zone this runtime does not know', () => {
    expect(() => zoneFormatter('Mars/Olympus', 0, 1)).toThrow(DomainError);
  });

  it('writes instants as toISOString does, whole seconds without milliseconds, in any year', () => {
    const iso = (t: number) => new Date(t).toISOString().replace('.000Z', 'Z');
    const utc = zoneFormatter('UTC', 0, 1);
    for (const t of [
      0,
      Date.parse('2026-12-31T23:59:59Z'),
      Date.parse('2027-01-01T00:00:00Z'),
      Date.parse('2024-02-29T12:34:56.789Z'),
      Date.parse('1969-12-31T23:59:59Z'),
      Date.parse('9999-12-31T23:59:59Z'),
      Date.parse('+010000-01-01T00:00:00Z'),
    ]) {
      expect(utc(t)).toBe(iso(t));
      expect(formatInZone(t, 'UTC')).toBe(iso(t));
    }
    expect(formatInZone(Date.parse('1969-12-31T23:30:00Z'), 'Asia/Kolkata')).toBe(
      '1970-01-01T05:00:00+05:30',
    );
  });
});
