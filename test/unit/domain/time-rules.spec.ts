// The API's one rule for instants and one for time zones, as the domain states them; the booking and the
// availability policy hold to them, whichever adapter calls.
import { randomUUID } from 'node:crypto';
import { DomainError } from '@domain/shared/domain-error.js';
import { INSTANT_RULE, checkInstants, parseInstant } from '@domain/shared/instant.js';
import { TIME_ZONE_RULE, canonicalTimeZone } from '@domain/shared/time-zone.js';
import { aPolicy } from '../../builders/availability.builder.js';
import { Booking } from '@domain/booking/booking.js';

describe('instants', () => {
  it.each([
    ['2026-12-01T09:00:00Z', '2026-12-01T09:00:00.000Z'],
    ['2026-12-01T09:00Z', '2026-12-01T09:00:00.000Z'],
    ['2026-12-01T10:00:00+01:00', '2026-12-01T09:00:00.000Z'],
    ['2026-12-01T04:30:00-04:30', '2026-12-01T09:00:00.000Z'],
    ['2026-12-01T09:00:00.123456789Z', '2026-12-01T09:00:00.123Z'],
    ['2028-02-29T12:00:00Z', '2028-02-29T12:00:00.000Z'],
    ['2000-01-01T00:00:00Z', '2000-01-01T00:00:00.000Z'],
    ['1999-12-31T23:00:00-01:00', '2000-01-01T00:00:00.000Z'],
    ['2199-12-31T23:59:59.999Z', '2199-12-31T23:59:59.999Z'],
  ])('reads %s', (text, iso) => {
    expect(parseInstant(text)?.toISOString()).toBe(iso);
  });

  it.each([
    '2026-12-10', // a date: would be UTC midnight
    '2026-12-10T17:00:00', // no offset: would be the server's zone
    '2026-12-10 17:00:00Z',
    '2026-12-10T17:00:00z',
    '2026-12-10T17:00:00+0100',
    '2026-12-10T17:00:00+01',
    '2026-12-10T17Z',
    '2027-02-29T10:00:00Z',
    '2026-04-31T10:00:00Z',
    '2026-13-01T10:00:00Z',
    '2026-12-00T10:00:00Z',
    '2026-12-10T24:00:00Z',
    '2026-12-10T17:60:00Z',
    '2026-12-10T17:00:60Z',
    '2026-12-10T17:00:00+24:00',
    '2026-12-10T17:00:00.Z',
    '+002026-12-10T17:00:00Z',
    '1999-12-31T23:59:59.999Z',
    '2000-01-01T00:30:00+01:00',
    '2200-01-01T00:00:00Z',
    '9999-12-10T17:00:00Z',
    '0001-01-01T00:00:00Z',
    '0099-06-01T00:00:00Z',
    '',
    ' 2026-12-10T17:00:00Z',
  ])('refuses %j', (text) => {
    expect(parseInstant(text)).toBeNull();
  });

  it('refuses what is not a string', () => {
    for (const value of [null, undefined, 1_780_000_000_000, new Date('2026-12-01T09:00:00Z'), {}, []]) {
      expect(parseInstant(value)).toBeNull();
    }
  });

  it('names every field out of range or invalid, with the rule', () => {
    const ok = new Date('2026-12-01T09:00:00Z');
    expect(() => checkInstants({ start: ok, end: ok })).not.toThrow();
    let refusal: DomainError | undefined;
    try {
      checkInstants({ start: new Date('9999-01-01T00:00:00Z'), at: ok, end: new Date(NaN) });
    } catch (error) {
      refusal = error as DomainError;
    }
    expect(refusal).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [
        { field: 'start', message: INSTANT_RULE },
        { field: 'end', message: INSTANT_RULE },
      ],
    });
  });
});

describe('time zones', () => {
  it.each([
    ['Europe/Paris', 'Europe/Paris'],
    ['europe/berlin', 'Europe/Berlin'],
    ['AMERICA/NEW_YORK', 'America/New_York'],
    ['US/Eastern', 'America/New_York'],
    ['UTC', 'UTC'],
    ['Etc/UTC', 'UTC'],
    ['Etc/GMT+2', 'Etc/GMT+2'],
    ['America/Argentina/Buenos_Aires', 'America/Buenos_Aires'],
  ])('takes %s as %s', (name, canonical) => {
    expect(canonicalTimeZone(name)).toBe(canonical);
  });

  it.each([
    'Mars/Olympus',
    '+02:00',
    '-05:00',
    '+0200',
    '+02',
    'GMT+2',
    'Z',
    'local',
    '',
    ' Europe/Paris',
    'x'.repeat(65),
  ])('refuses %j', (name) => {
    expect(canonicalTimeZone(name)).toBeNull();
  });

  it('refuses what is not a string', () => {
    for (const value of [null, undefined, 2, {}, ['Europe/Paris']])
      expect(canonicalTimeZone(value)).toBeNull();
  });
});

describe('the rules in the domain objects', () => {
  const confirm = (timeZone: string | null) =>
    Booking.confirm({
      id: randomUUID(),
      workspaceId: randomUUID(),
      eventTypeId: randomUUID(),
      hostId: randomUUID(),
      start: new Date('2026-12-03T09:00:00Z'),
      durationMinutes: 30,
      bufferBeforeMinutes: 0,
      bufferAfterMinutes: 0,
      guest: { name: 'Jordan Lee', email: 'jordan@example.com', timeZone },
      note: null,
      title: 'Intro call',
      location: { kind: 'teams', value: null },
      transactionId: randomUUID(),
      manageToken: { hash: 'a'.repeat(64), sealed: 'sealed' },
      now: new Date('2026-12-01T08:00:00Z'),
    }).toSnapshot();

  it('a booking keeps its guest’s zone canonically, or none, and refuses one that is no zone', () => {
    expect(confirm('europe/paris').guest.timeZone).toBe('Europe/Paris');
    expect(confirm(null).guest.timeZone).toBeNull();
    expect(() => confirm('Mars/Olympus')).toThrow(
      expect.objectContaining({ errors: [{ field: 'guest.timeZone', message: TIME_ZONE_RULE }] }),
    );
  });

  it('an availability policy keeps its zone canonically and refuses an offset', () => {
    const ids = { workspaceId: randomUUID(), memberId: randomUUID() };
    expect(aPolicy(ids, { timeZone: 'asia/tokyo' }).timeZone).toBe('Asia/Tokyo');
    expect(() => aPolicy(ids, { timeZone: '+02:00' })).toThrow(
      expect.objectContaining({ errors: [{ field: 'timeZone', message: TIME_ZONE_RULE }] }),
    );
  });
});
