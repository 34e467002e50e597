// Outlook working hours as the default availability: Graph's mailboxSettings.workingHours read at the edge
// (Windows zones mapped, times as HH:MM), kept only when a weekly span can say them, and offered as the
// policy of a member who never stored one.
import { AvailabilityPolicy } from '@domain/availability/availability-policy.js';
import { usableWorkingHours } from '@domain/availability/working-hours.js';
import { toWorkingHours } from '@adapters/microsoft/graph/graph-mailbox-profile.reader.js';

const now = new Date('2026-12-01T08:00:00Z');

describe("Graph's workingHours in the domain's words", () => {
  it('maps days, times with seven fractional digits and a Windows zone', () => {
    expect(
      toWorkingHours({
        daysOfWeek: ['friday', 'Monday', 'tuesday', 'wednesday', 'thursday'],
        startTime: '08:30:00.0000000',
        endTime: '16:45:00.0000000',
        timeZone: { name: 'Pacific Standard Time' },
      }),
    ).toEqual({
      days: ['mon', 'tue', 'wed', 'thu', 'fri'],
      start: '08:30',
      end: '16:45',
      timeZone: 'America/Los_Angeles',
    });
  });

  it('reads an end at midnight as the end of the day, and rounds seconds inwards', () => {
    expect(
      toWorkingHours({
        daysOfWeek: ['saturday', 'sunday'],
        startTime: '12:00:30',
        endTime: '00:00:00.0000000',
        timeZone: { name: 'Europe/Paris' },
      }),
    ).toEqual({ days: ['sat', 'sun'], start: '12:01', end: '24:00', timeZone: 'Europe/Paris' });
  });

  it('keeps the hours of a custom zone no table maps, without a zone (the mailbox zone is used)', () => {
    expect(
      toWorkingHours({
        daysOfWeek: ['monday'],
        startTime: '09:00:00.0000000',
        endTime: '17:00:00.0000000',
        timeZone: {
          '@odata.type': '#microsoft.graph.customTimeZone',
          name: 'Customized Time Zone',
          bias: -60,
        },
      }),
    ).toEqual({ days: ['mon'], start: '09:00', end: '17:00', timeZone: null });
  });

  it.each([
    ['no working hours at all', undefined],
    ['no days', { daysOfWeek: [], startTime: '08:00:00', endTime: '17:00:00', timeZone: { name: 'UTC' } }],
    ['only unknown days', { daysOfWeek: ['someday'], startTime: '08:00:00', endTime: '17:00:00' }],
    ['hours across midnight', { daysOfWeek: ['monday'], startTime: '22:00:00', endTime: '06:00:00' }],
    ['an empty span', { daysOfWeek: ['monday'], startTime: '09:00:00', endTime: '09:00:00' }],
    ['times that are not times', { daysOfWeek: ['monday'], startTime: '9am', endTime: '17:00:00' }],
  ])('gives null for %s', (_name, raw) => {
    expect(toWorkingHours(raw)).toBeNull();
  });

  it('drops a zone this runtime does not know rather than keep it', () => {
    expect(
      usableWorkingHours({ days: ['mon'], start: '09:00', end: '17:00', timeZone: 'Mars/Base' }),
    ).toEqual({
      days: ['mon'],
      start: '09:00',
      end: '17:00',
      timeZone: null,
    });
  });
});

describe('the default policy of a member who never stored one', () => {
  const hours = (over: Partial<Parameters<typeof usableWorkingHours>[0]> = {}) =>
    usableWorkingHours({
      days: ['mon', 'tue', 'thu'],
      start: '07:30',
      end: '15:00',
      timeZone: 'Asia/Tokyo',
      ...over,
    });

  it("is the mailbox's working hours, in their zone", () => {
    const policy = AvailabilityPolicy.defaultFor({
      workspaceId: 'ws',
      memberId: 'm',
      timeZone: 'Europe/Paris',
      workingHours: hours(),
      now,
    });
    const s = policy.toSnapshot();
    expect(policy.isDefault).toBe(true);
    expect(s.timeZone).toBe('Asia/Tokyo');
    expect(s.weekly).toEqual(
      ['mon', 'tue', 'thu'].map((day) => ({ day, intervals: [{ start: '07:30', end: '15:00' }] })),
    );
    expect(s).toMatchObject({
      overrides: [],
      bufferBeforeMinutes: 0,
      busyStatuses: ['busy', 'oof', 'tentative'],
    });
  });

  it("takes the mailbox's zone when the hours' zone is unknown, else UTC", () => {
    const unmapped = hours({ timeZone: null });
    expect(
      AvailabilityPolicy.defaultFor({
        workspaceId: 'ws',
        memberId: 'm',
        timeZone: 'Europe/Paris',
        workingHours: unmapped,
        now,
      }).timeZone,
    ).toBe('Europe/Paris');
    expect(
      AvailabilityPolicy.defaultFor({
        workspaceId: 'ws',
        memberId: 'm',
        timeZone: null,
        workingHours: unmapped,
        now,
      }).timeZone,
    ).toBe('UTC');
  });

  it('is Monday to Friday 09:00–17:00 when Outlook gave no usable hours', () => {
    const s = AvailabilityPolicy.defaultFor({
      workspaceId: 'ws',
      memberId: 'm',
      timeZone: 'Europe/Paris',
      workingHours: null,
      now,
    }).toSnapshot();
    expect(s.weekly).toEqual(
      ['mon', 'tue', 'wed', 'thu', 'fri'].map((day) => ({
        day,
        intervals: [{ start: '09:00', end: '17:00' }],
      })),
    );
  });
});
