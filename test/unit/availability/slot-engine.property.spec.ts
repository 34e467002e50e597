// Property: on random policies and calendars around DST changes in zones with unusual rules, the
// engine offers exactly what the minute-walking reference offers, with booking limits (per day, per
// week, minimum gap) over bookings up to nine days around the range, and explain agrees with both; for
// round robin ('any' host) and collective ('all' hosts, often with the same hours so that they meet). Rooms:
// the room filter over the engine's slots gives exactly the reference's slots with a room-by-room check, and
// explain (the engine's explanation and the rooms' one, kailenty's own claims added) agrees with the filter.
import fc from 'fast-check';
import {
  computeSlots,
  type BusyInterval,
  type HostAvailability,
  type SlotQuery,
  type WallInterval,
  type Weekday,
} from '@domain/availability/slot-engine.js';
import { explainStart } from '@domain/availability/slot-explainer.js';
import { explainRooms, withClaims, withRooms, type RoomBusy } from '@domain/availability/room-filter.js';
import { referenceSlots, referenceWall } from './reference-slot-engine.js';

const MINUTE = 60_000;
const DAY = 86_400_000;
const ZONES = ['America/New_York', 'Europe/Paris', 'Australia/Lord_Howe', 'America/Asuncion', 'Asia/Kolkata'];
const DAYS: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

interface Anchor {
  zone: string;
  day: number;
}

/**
 * The days of 2024 on which each zone changed offset (Paraguay's last DST year), found by asking
 * Intl once a day, plus one plain day for Kolkata. Few anchors keep the reference's cache warm.
 */
function transitionDays(): Anchor[] {
  const found: Anchor[] = [{ zone: 'Asia/Kolkata', day: Date.UTC(2024, 5, 3) }];
  for (const zone of ZONES) {
    let previous = NaN;
    for (let t = Date.UTC(2024, 0, 1, 12); t < Date.UTC(2025, 0, 1); t += DAY) {
      const offset = referenceWall(zone, t) - t;
      if (offset !== previous && !Number.isNaN(previous)) found.push({ zone, day: t - DAY });
      previous = offset;
    }
  }
  return found;
}
const ANCHORS = transitionDays();

/** Minutes after midnight, biased towards round times and the hours DST changes touch. */
const wallMinute = fc.oneof(
  fc.integer({ min: 0, max: 96 }).map((q) => q * 15),
  fc.constantFrom(0, 30, 60, 90, 120, 150, 180, 1380, 1410, 1440),
  fc.integer({ min: 0, max: 1440 }),
);
const wallInterval: fc.Arbitrary<WallInterval> = fc
  .tuple(wallMinute, wallMinute)
  .filter(([a, b]) => a !== b)
  .map(([a, b]): WallInterval => (a < b ? [a, b] : [b, a]));
const dayIntervals = fc.array(wallInterval, { maxLength: 3 });

const policyNumbers = fc.record(
  {
    bufferBeforeMinutes: fc.constantFrom(0, 5, 10, 15, 30, 45),
    bufferAfterMinutes: fc.constantFrom(0, 5, 10, 15, 30, 45),
    minimumNoticeMinutes: fc.constantFrom(0, 30, 120, 600, 1440),
    maxDaysAhead: fc.option(fc.constantFrom(0.5, 1, 2, 3), { nil: null }),
  },
  { requiredKeys: [] },
);

function hostArbitrary(rangeStart: number, index: number, zone: string): fc.Arbitrary<HostAvailability> {
  const busyItem: fc.Arbitrary<BusyInterval> = fc
    .record({
      at: fc.integer({ min: -1440, max: 4 * 1440 }),
      length: fc.oneof(fc.integer({ min: -10, max: 300 }), fc.constantFrom(15, 30, 60)),
      round: fc.boolean(),
    })
    .map(({ at, length, round }) => {
      const start = rangeStart + (round ? Math.round(at / 15) * 15 : at) * MINUTE;
      return { start, end: start + length * MINUTE, status: 'busy' as const };
    });
  // The type's bookings: from a week and more before the range to after it, some on the same days.
  const limitedBooking = fc
    .record({
      at: fc.oneof(fc.integer({ min: -9 * 1440, max: 5 * 1440 }), fc.integer({ min: -60, max: 3 * 1440 })),
      length: fc.constantFrom(15, 30, 60, 90),
    })
    .map(({ at, length }) => {
      const start = rangeStart + Math.round(at / 15) * 15 * MINUTE;
      return { start, end: start + length * MINUTE };
    });
  const anchorDay = Math.floor(rangeStart / DAY);
  const override = fc.tuple(fc.integer({ min: -2, max: 4 }), dayIntervals).map(([d, intervals]) => {
    const date = new Date((anchorDay + d) * DAY).toISOString().slice(0, 10);
    return [date, intervals] as const;
  });
  return fc
    .record({
      // The first host lives in the zone whose DST change the range is near.
      timeZone: index === 0 ? fc.constant(zone) : fc.constantFrom(...ZONES),
      weekly: fc.tuple(...DAYS.map(() => dayIntervals)),
      overrides: fc.array(override, { maxLength: 3 }),
      busy: fc.array(busyItem, { maxLength: 15 }),
      policy: fc.option(policyNumbers, { nil: undefined }),
      limitedBookings: fc.array(limitedBooking, { maxLength: 8 }),
    })
    .map(({ timeZone, weekly, overrides, busy, policy, limitedBookings }) => ({
      hostId: `host-${index}`,
      timeZone,
      weekly: Object.fromEntries(DAYS.map((d, i) => [d, weekly[i]])),
      overrides: new Map(overrides),
      busy,
      policy,
      limitedBookings,
    }));
}

const limitsArbitrary = fc.option(
  fc.record(
    {
      perDay: fc.integer({ min: 1, max: 3 }),
      perWeek: fc.integer({ min: 1, max: 6 }),
      minimumGapMinutes: fc.constantFrom(0, 10, 30, 60, 240, 1440),
    },
    { requiredKeys: [] },
  ),
  { nil: undefined, freq: 2 },
);

const queryArbitrary: fc.Arbitrary<SlotQuery> = fc
  .record({
    anchor: fc.constantFrom(...ANCHORS),
    shift: fc.integer({ min: -2 * 1440, max: 1440 }),
    length: fc.integer({ min: 60, max: 3 * 1440 }),
    nowShift: fc.integer({ min: -1440, max: 1440 }),
    hostCount: fc.integer({ min: 1, max: 3 }),
    duration: fc.constantFrom(10, 15, 20, 30, 45, 60, 90, 120),
    interval: fc.option(fc.constantFrom(5, 10, 15, 20, 30, 45, 50, 60, 90), { nil: undefined }),
    policy: policyNumbers,
    limits: limitsArbitrary,
    hostsNeeded: fc.constantFrom('any' as const, 'all' as const),
    sharedHours: fc.constantFrom('none', 'weekly', 'weekly and zone'),
  })
  .chain(({ anchor, shift, length, nowShift, hostCount, duration, interval, policy, limits, ...mix }) => {
    const start = anchor.day + shift * MINUTE;
    const hosts = Array.from({ length: hostCount }, (_, i) => hostArbitrary(start, i, anchor.zone));
    return fc.tuple(...hosts).map((hostList) => ({
      now: start + nowShift * MINUTE,
      range: { start, end: start + length * MINUTE },
      event: { durationMinutes: duration, slotIntervalMinutes: interval, ...policy, limits },
      // Collective hosts with one set of hours (and zone) meet often; their busy time, buffers, notice,
      // overrides and limits still differ.
      hosts:
        mix.sharedHours === 'none'
          ? hostList
          : hostList.map((h) => ({
              ...h,
              weekly: hostList[0].weekly,
              timeZone: mix.sharedHours === 'weekly and zone' ? hostList[0].timeZone : h.timeZone,
            })),
      hostsNeeded: mix.hostsNeeded,
    }));
  });

/** Up to four rooms with busy items around the query's range, some touching the hosts' busy time. */
function roomsArbitrary(query: SlotQuery): fc.Arbitrary<RoomBusy[]> {
  const item = fc
    .record({ at: fc.integer({ min: -120, max: 3 * 1440 }), length: fc.integer({ min: -5, max: 240 }) })
    .map(({ at, length }) => {
      const start = query.range.start + Math.round(at / 5) * 5 * MINUTE;
      return { start, end: start + length * MINUTE };
    });
  return fc
    .array(fc.array(item, { maxLength: 12 }), { minLength: 1, maxLength: 4 })
    .map((lists) => lists.map((busy, i) => ({ email: `room-${i}@contoso.com`, busy })));
}

/** The reference for rooms: every room checked against every item for each slot, by the definition. */
function referenceRoomSlots(query: SlotQuery, rooms: RoomBusy[], required: boolean) {
  return referenceSlots(query)
    .map((slot) => ({
      ...slot,
      rooms: rooms
        .filter((room) =>
          room.busy.every((b) => b.end <= b.start || b.end <= slot.start || b.start >= slot.end),
        )
        .map((room) => room.email),
    }))
    .filter((slot) => !required || slot.rooms.length > 0);
}

describe('slot engine vs reference (fast-check)', () => {
  test('rooms: the filter over the engine equals the room-by-room reference, required or not', () => {
    fc.assert(
      fc.property(
        queryArbitrary.chain((query) => fc.tuple(fc.constant(query), roomsArbitrary(query), fc.boolean())),
        ([query, rooms, required]) => {
          expect(withRooms(computeSlots(query), rooms, required)).toEqual(
            referenceRoomSlots(query, rooms, required),
          );
        },
      ),
      { numRuns: 500 },
    );
  });

  test('rooms: explain agrees with the filter: offered exactly when the hosts offer it and a room of a required pool is free', () => {
    fc.assert(
      fc.property(
        queryArbitrary.chain((query) =>
          fc.tuple(
            fc.constant(query),
            roomsArbitrary(query),
            roomsArbitrary(query),
            fc.boolean(),
            fc.integer({ min: 0, max: 3 * 1440 }),
          ),
        ),
        ([query, calendars, claimed, required, at]) => {
          // kailenty's own claims on the rooms (any spelling of the address), added as the slots read adds them.
          const claims = claimed.flatMap((room) =>
            room.busy.map((b, i) => ({
              ...b,
              room: room.email.toUpperCase(),
              bookingId: `${room.email}-${i}`,
            })),
          );
          const rooms = withClaims(calendars, claims);
          const slots = computeSlots(query);
          const filtered = withRooms(slots, rooms, required);
          const start =
            slots.length > 0 && at % 2 === 0
              ? slots[at % slots.length].start
              : query.range.start + at * MINUTE;
          const end = start + query.event.durationMinutes * MINUTE;
          const { free, taken } = explainRooms(rooms, start, end);
          const offered = explainStart(query, start).offered && (!required || free.length > 0);
          const slot = filtered.find((s) => s.start === start);
          expect(offered).toBe(slot !== undefined);
          if (slot) expect(free).toEqual(slot.rooms);
          // Every room is either free or said to be taken, with what overlaps the meeting.
          expect([...free, ...taken.map((r) => r.email)].sort()).toEqual(rooms.map((r) => r.email).sort());
          for (const room of taken)
            expect(room.items.every((b) => b.start < end && b.end > start && b.end > b.start)).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });

  test('equal on random policies and calendars around DST changes', () => {
    fc.assert(
      fc.property(queryArbitrary, (query) => {
        expect(computeSlots(query)).toEqual(referenceSlots(query));
      }),
      { numRuns: 1500 },
    );
  });

  test('explain, and the engine on the one-slot range, say "offered" for exactly the hosts it names', () => {
    fc.assert(
      fc.property(queryArbitrary, fc.integer({ min: 0, max: 3 * 1440 }), (query, at) => {
        const slots = computeSlots(query);
        // Half the time a start the engine offers, else any minute of the range.
        const start =
          slots.length > 0 && at % 2 === 0 ? slots[at % slots.length].start : query.range.start + at * MINUTE;
        const offeredBy = slots.find((s) => s.start === start)?.hostIds ?? [];
        const explanation = explainStart(query, start);
        // Collective: the start is offered with every host or not at all; each host still answers for itself.
        const alone = (host: HostAvailability) =>
          computeSlots({ ...query, hosts: [host] }).some((s) => s.start === start);
        const offeredAlone = query.hosts.filter(alone).map((h) => h.hostId);
        if (query.hostsNeeded === 'all') {
          const every = offeredAlone.length === query.hosts.length;
          expect(offeredBy).toEqual(every ? query.hosts.map((h) => h.hostId) : []);
        } else {
          expect(offeredBy).toEqual(offeredAlone);
        }
        expect(explanation.hosts.filter((h) => h.offered).map((h) => h.hostId)).toEqual(offeredAlone);
        expect(explanation.offered).toBe(offeredBy.length > 0);
        for (const host of explanation.hosts) expect(host.offered).toBe(host.reasons.length === 0);
        // Checking one start (a booking) with a range of exactly that slot gives the same answer.
        const end = start + query.event.durationMinutes * MINUTE;
        if (end <= query.range.end) {
          const narrow = computeSlots({ ...query, range: { start, end } });
          expect(narrow).toEqual(offeredBy.length > 0 ? [{ start, end, hostIds: offeredBy }] : []);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
