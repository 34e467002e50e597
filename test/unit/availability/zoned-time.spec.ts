// Hand-checked zone maths around DST changes: gaps, repeated hours, Lord Howe's half hour, Paraguay's
// midnight change, India's half-hour offset.
import {
  ZoneTimeline,
  ceilToGrid,
  instantToWall,
  isOnGrid,
  parseLocalDate,
  parseWallTime,
  wallToInstant,
  zoneOffsetAt,
} from '@domain/availability/zoned-time.js';
import { DomainError } from '@domain/shared/domain-error.js';

const at = (iso: string) => Date.parse(iso);
const wall = (local: string) => Date.parse(`${local}Z`);
const iso = (t: number) => new Date(t).toISOString();
const H = 3_600_000;

describe('zoneOffsetAt', () => {
  test.each([
    ['UTC', '2027-01-15T12:00:00Z', 0],
    ['America/New_York', '2027-01-15T12:00:00Z', -5 * H],
    ['America/New_York', '2027-07-15T12:00:00Z', -4 * H],
    ['Australia/Lord_Howe', '2027-01-15T12:00:00Z', 11 * H],
    ['Australia/Lord_Howe', '2027-07-15T12:00:00Z', 10.5 * H],
    ['Asia/Kolkata', '2027-07-15T12:00:00Z', 5.5 * H],
    ['America/Asuncion', '2024-07-15T12:00:00Z', -4 * H],
  ])('%s at %s', (zone, instant, offset) => {
    expect(zoneOffsetAt(zone, at(instant))).toBe(offset);
  });

  test('an unknown zone is a validation error', () => {
    expect(() => zoneOffsetAt('Mars/Olympus_Mons', 0)).toThrow(DomainError);
  });
});

describe('ZoneTimeline.build', () => {
  test('finds New York 2027 changes to the second', () => {
    const timeline = ZoneTimeline.build(
      'America/New_York',
      at('2027-01-01T00:00:00Z'),
      at('2027-12-31T00:00:00Z'),
    );
    expect(timeline.changes.map(iso)).toEqual(['2027-03-14T07:00:00.000Z', '2027-11-07T06:00:00.000Z']);
    expect(timeline.offsets).toEqual([-5 * H, -4 * H, -5 * H]);
  });

  test('finds Lord Howe 2027 half-hour changes', () => {
    const timeline = ZoneTimeline.build(
      'Australia/Lord_Howe',
      at('2027-01-01T00:00:00Z'),
      at('2027-12-31T00:00:00Z'),
    );
    // 02:00 +11 → 01:30 +10:30 on 4 April; 02:00 +10:30 → 02:30 +11 on 3 October.
    expect(timeline.changes.map(iso)).toEqual(['2027-04-03T15:00:00.000Z', '2027-10-02T15:30:00.000Z']);
    expect(timeline.offsets).toEqual([11 * H, 10.5 * H, 11 * H]);
  });

  test('Kolkata has one segment', () => {
    const timeline = ZoneTimeline.build(
      'Asia/Kolkata',
      at('2027-01-01T00:00:00Z'),
      at('2027-12-31T00:00:00Z'),
    );
    expect(timeline.changes).toEqual([]);
    expect(timeline.toWall(at('2027-03-14T03:30:00Z'))).toBe(wall('2027-03-14T09:00:00'));
  });
});

describe('wall time → instant ("compatible")', () => {
  test.each([
    [
      'America/New_York',
      '2027-03-14T02:30:00',
      '2027-03-14T07:30:00.000Z',
      'gap: read at -05, lands at 03:30 EDT',
    ],
    ['America/New_York', '2027-11-07T01:30:00', '2027-11-07T05:30:00.000Z', 'repeat: the earlier (EDT) one'],
    ['America/New_York', '2027-11-07T02:00:00', '2027-11-07T07:00:00.000Z', 'just after the repeat'],
    [
      'Europe/Paris',
      '2027-03-28T02:30:00',
      '2027-03-28T01:30:00.000Z',
      'gap: read at +01, lands at 03:30 CEST',
    ],
    ['Europe/Paris', '2027-10-31T02:30:00', '2027-10-31T00:30:00.000Z', 'repeat: the earlier (CEST) one'],
    ['Australia/Lord_Howe', '2027-04-04T01:45:00', '2027-04-03T14:45:00.000Z', 'repeat: the +11 one'],
    [
      'Australia/Lord_Howe',
      '2027-10-03T02:15:00',
      '2027-10-02T15:45:00.000Z',
      'half-hour gap: read at +10:30',
    ],
    ['America/Asuncion', '2024-10-06T00:00:00', '2024-10-06T04:00:00.000Z', 'midnight in the gap: 01:00 -03'],
    [
      'America/Asuncion',
      '2024-03-23T23:30:00',
      '2024-03-24T02:30:00.000Z',
      'repeat before midnight: the -03 one',
    ],
    ['Asia/Kolkata', '2027-03-14T09:00:00', '2027-03-14T03:30:00.000Z', 'no DST'],
  ])('%s %s → %s (%s)', (zone, local, expected) => {
    expect(iso(wallToInstant(zone, wall(local)))).toBe(expected);
  });

  test('instantToWall reads the zone clock', () => {
    expect(instantToWall('Australia/Lord_Howe', at('2027-04-03T15:00:00Z'))).toBe(
      wall('2027-04-04T01:30:00'),
    );
  });
});

describe('pushAlignedInstants', () => {
  const aligned = (zone: string, from: string, to: string, stepMinutes: number) => {
    const timeline = ZoneTimeline.build(zone, at(from) - 86_400_000, at(to) + 86_400_000);
    const out: number[] = [];
    timeline.pushAlignedInstants(at(from), at(to), stepMinutes * 60_000, out);
    return out.map(iso);
  };

  test('Lord Howe fall-back: hourly wall times jump from 14:00Z to 15:30Z', () => {
    // 00:00 and 01:00 at +11, then the clock reads 01:30 at +10:30: next whole hour 02:00 = 15:30Z.
    expect(aligned('Australia/Lord_Howe', '2027-04-03T13:00:00Z', '2027-04-03T17:30:00Z', 60)).toEqual([
      '2027-04-03T13:00:00.000Z',
      '2027-04-03T14:00:00.000Z',
      '2027-04-03T15:30:00.000Z',
      '2027-04-03T16:30:00.000Z',
    ]);
  });

  test('New York fall-back: both 01:00 and both 01:30 count', () => {
    expect(aligned('America/New_York', '2027-11-07T05:00:00Z', '2027-11-07T07:00:00Z', 30)).toEqual([
      '2027-11-07T05:00:00.000Z', // 01:00 EDT
      '2027-11-07T05:30:00.000Z', // 01:30 EDT
      '2027-11-07T06:00:00.000Z', // 01:00 EST
      '2027-11-07T06:30:00.000Z', // 01:30 EST
    ]);
  });

  test('Lord Howe spring-forward with a 45-minute step: 02:15 does not exist, 03:00 does', () => {
    // 01:30 +10:30 = 15:00Z; the clock then jumps from 02:00 to 02:30 (+11); 03:00 = 16:00Z.
    expect(aligned('Australia/Lord_Howe', '2027-10-02T15:00:00Z', '2027-10-02T16:30:00Z', 45)).toEqual([
      '2027-10-02T15:00:00.000Z',
      '2027-10-02T16:00:00.000Z',
    ]);
  });

  test('a step that does not divide the day restarts at midnight', () => {
    // Kolkata 23:00–00:59: on a 50-minute grid, 23:20 then 00:00 (not 00:10), then 00:50.
    expect(aligned('Asia/Kolkata', '2027-03-13T17:30:00Z', '2027-03-13T19:30:00Z', 50)).toEqual([
      '2027-03-13T17:50:00.000Z',
      '2027-03-13T18:30:00.000Z',
      '2027-03-13T19:20:00.000Z',
    ]);
  });
});

describe('helpers', () => {
  test('parseWallTime reads HH:MM up to 24:00', () => {
    expect(parseWallTime('00:00')).toBe(0);
    expect(parseWallTime('09:30')).toBe(570);
    expect(parseWallTime('24:00')).toBe(1440);
    for (const bad of ['24:01', '9:00', '12:60', '']) expect(() => parseWallTime(bad)).toThrow(DomainError);
  });

  test('parseLocalDate reads real dates only', () => {
    expect(parseLocalDate('1970-01-02')).toBe(1);
    for (const bad of ['2027-02-30', '2027-3-1', 'x']) expect(() => parseLocalDate(bad)).toThrow(DomainError);
  });

  test('grid maths', () => {
    const step = 50 * 60_000;
    expect(isOnGrid(wall('2027-01-01T23:20:00'), step)).toBe(true);
    expect(isOnGrid(wall('2027-01-01T23:30:00'), step)).toBe(false);
    expect(ceilToGrid(wall('2027-01-01T23:21:00'), step)).toBe(wall('2027-01-02T00:00:00'));
    expect(ceilToGrid(wall('2027-01-01T00:01:00'), step)).toBe(wall('2027-01-01T00:50:00'));
  });
});
