// One contract for the booking ports (repository, the booked time slots read, calendar-sync outbox), run on the
// in-memory fakes and on PostgreSQL, where the no-overlap rule is an exclusion constraint.
import { randomUUID } from 'node:crypto';
import {
  IdempotencyKeyTaken,
  RoomTaken,
  SlotTaken,
  WriteConflict,
  type BookingRepository,
} from '@application/ports/booking.repository.js';
import type { DomainEventOutbox } from '@application/ports/domain-event.outbox.js';
import { BookingCommitter } from '@application/booking/booking-committer.js';
import { testBookingResources } from '../support/booking-links.js';
import type { SlotsReadModel } from '@application/ports/slots.read-model.js';
import type { CalendarSyncQueue } from '@application/ports/calendar-sync.queue.js';
import type { UnitOfWork } from '@application/ports/unit-of-work.js';
import { aBooking } from '../builders/booking.builder.js';
import type { BookingAnswer } from '@domain/event-type/booking-question.js';

export interface BookingPorts {
  bookings: BookingRepository;
  /** Where slots read the booked time the rows block. */
  booked: SlotsReadModel;
  queue: CalendarSyncQueue;
  uow: UnitOfWork;
  outbox: DomainEventOutbox;
  /** The events recorded for a booking, in the order of their numbers. */
  recorded(bookingId: string): Promise<{ type: string; sequence: number; data: unknown }[]>;
  /** A workspace, an event type id and hosts that exist. */
  given(hosts: number): Promise<{ workspaceId: string; eventTypeId: string; hostIds: string[] }>;
}

const now = new Date('2026-12-01T08:00:00Z');

export function bookingRepositoryContract(name: string, make: () => Promise<BookingPorts>): void {
  describe(`${name}: booking repositories contract`, () => {
    let p: BookingPorts;
    beforeEach(async () => {
      p = await make();
    });

    /** Per host with any, the booked time the rows block in [start, end). */
    async function busyFor(workspaceId: string, hostIds: string[], start: number, end: number) {
      const hosts = await p.booked.forHosts({
        workspaceId,
        eventTypeId: randomUUID(),
        hostIds,
        booked: { start, end },
        typeBooked: { start, end },
        now,
      });
      return new Map(hosts.filter((h) => h.booked.length > 0).map((h) => [h.hostId, h.booked]));
    }

    it('stores and reads back a booking, only within its workspace', async () => {
      const { workspaceId, eventTypeId, hostIds } = await p.given(1);
      const b = aBooking({ workspaceId, eventTypeId, hostId: hostIds[0] });
      await p.bookings.add(b);
      expect((await p.bookings.findById(workspaceId, b.id))?.toSnapshot()).toEqual(b.toSnapshot());
      expect(await p.bookings.findById(randomUUID(), b.id)).toBeNull();
    });

    it('finds a booking by the hash of its manage token, whatever the workspace; keeps its revision', async () => {
      const { workspaceId, eventTypeId, hostIds } = await p.given(1);
      const b = aBooking({ workspaceId, eventTypeId, hostId: hostIds[0] });
      await p.bookings.add(b);
      const found = await p.bookings.findByManageTokenHash(b.manageToken!.hash);
      expect(found?.toSnapshot()).toEqual(b.toSnapshot());
      expect(await p.bookings.findByManageTokenHash('0'.repeat(64))).toBeNull();
      await p.uow.transactional(async () => {
        const stored = (await p.bookings.findForUpdate(workspaceId, b.id))!;
        stored.reschedule({ start: new Date('2026-12-03T11:00:00Z'), now });
        await p.bookings.save(stored);
      });
      expect((await p.bookings.findByManageTokenHash(b.manageToken!.hash))?.sequence).toBe(1);
    });

    it('refuses overlapping confirmed bookings for one host, buffers included, and lets touching ones and other hosts be', async () => {
      const { workspaceId, eventTypeId, hostIds } = await p.given(2);
      const [h1, h2] = hostIds as [string, string];
      await p.bookings.add(
        aBooking({
          workspaceId,
          eventTypeId,
          hostId: h1,
          start: '2026-12-03T09:00:00Z',
          bufferAfterMinutes: 10,
        }),
      );
      await expect(
        p.bookings.add(aBooking({ workspaceId, eventTypeId, hostId: h1, start: '2026-12-03T09:35:00Z' })),
      ).rejects.toBeInstanceOf(SlotTaken);
      await expect(
        p.bookings.add(aBooking({ workspaceId, eventTypeId, hostId: h1, start: '2026-12-03T09:40:00Z' })),
      ).resolves.toBeUndefined();
      await expect(
        p.bookings.add(aBooking({ workspaceId, eventTypeId, hostId: h2, start: '2026-12-03T09:00:00Z' })),
      ).resolves.toBeUndefined();
    });

    it('collective: refuses an overlap for any of its hosts, each with their own buffers, whichever is booked first', async () => {
      const { workspaceId, eventTypeId, hostIds } = await p.given(3);
      const [h1, h2, h3] = hostIds as [string, string, string];
      const day = (t: string) => `2026-12-03T${t}:00Z`;
      // h2 co-hosts with 15 minutes after; h3 co-hosts with none.
      const team = aBooking({
        workspaceId,
        eventTypeId,
        hostId: h1,
        coHosts: [
          { hostId: h2, bufferBeforeMinutes: 0, bufferAfterMinutes: 15 },
          { hostId: h3, bufferBeforeMinutes: 0, bufferAfterMinutes: 0 },
        ],
        start: day('09:00'),
      });
      await p.bookings.add(team);
      expect((await p.bookings.findById(workspaceId, team.id))?.toSnapshot()).toEqual(team.toSnapshot());
      // A single booking of a co-host over the team's time (or its buffer) is refused; touching is fine.
      const single = (hostId: string, start: string) => aBooking({ workspaceId, eventTypeId, hostId, start });
      await expect(p.bookings.add(single(h2, day('09:40')))).rejects.toBeInstanceOf(SlotTaken);
      await expect(p.bookings.add(single(h3, day('09:20')))).rejects.toBeInstanceOf(SlotTaken);
      await expect(p.bookings.add(single(h3, day('09:30')))).resolves.toBeUndefined();
      await expect(p.bookings.add(single(h2, day('09:45')))).resolves.toBeUndefined();
      // A collective booking over a single booking of one of its co-hosts is refused too.
      const taken = single(h3, day('11:00'));
      await p.bookings.add(taken);
      const second = aBooking({
        workspaceId,
        eventTypeId,
        hostId: h1,
        coHosts: [{ hostId: h3, bufferBeforeMinutes: 0, bufferAfterMinutes: 0 }],
        start: day('11:15'),
      });
      await expect(p.bookings.add(second)).rejects.toBeInstanceOf(SlotTaken);
      // Each host's booked time, co-hosted or not, is what the slots read finds.
      const busy = await busyFor(
        workspaceId,
        [h1, h2, h3],
        Date.parse(day('00:00')),
        Date.parse('2026-12-04T00:00:00Z'),
      );
      expect(busy.get(h2)?.map((b) => [b.bookingId, new Date(b.end).toISOString()])).toEqual([
        [team.id, '2026-12-03T09:45:00.000Z'],
        [expect.any(String), '2026-12-03T10:15:00.000Z'],
      ]);
      expect(busy.get(h3)?.map((b) => b.bookingId)).toEqual([team.id, expect.any(String), taken.id]);
      // Listing by a co-host finds the collective booking.
      const listed = await p.bookings.list(workspaceId, { hostId: h3 }, { limit: 10 });
      expect(listed.data.map((b) => b.id)).toContain(team.id);
    });

    it('collective: a move takes every host’s new time (refused if any is taken), a cancel frees them all', async () => {
      const { workspaceId, eventTypeId, hostIds } = await p.given(2);
      const [h1, h2] = hostIds as [string, string];
      const team = aBooking({
        workspaceId,
        eventTypeId,
        hostId: h1,
        coHosts: [{ hostId: h2, bufferBeforeMinutes: 10, bufferAfterMinutes: 0 }],
        start: '2026-12-03T09:00:00Z',
      });
      await p.bookings.add(team);
      await p.bookings.add(aBooking({ workspaceId, eventTypeId, hostId: h2, start: '2026-12-03T10:00:00Z' }));
      const move = (start: string) =>
        p.uow.transactional(async () => {
          const stored = (await p.bookings.findForUpdate(workspaceId, team.id))!;
          stored.reschedule({ start: new Date(start), now });
          await p.bookings.save(stored);
        });
      // 10:35 − h2's 10 minutes before reaches h2's 10:00–10:30.
      await expect(move('2026-12-03T10:35:00Z')).rejects.toBeInstanceOf(SlotTaken);
      await move('2026-12-03T10:40:00Z');
      // The old time is free for both again, the new one taken for both.
      const free = (hostId: string, start: string) =>
        p.bookings.add(aBooking({ workspaceId, eventTypeId, hostId, start }));
      await expect(free(h2, '2026-12-03T09:00:00Z')).resolves.toBeUndefined();
      await expect(free(h1, '2026-12-03T10:50:00Z')).rejects.toBeInstanceOf(SlotTaken);
      await p.uow.transactional(async () => {
        const stored = (await p.bookings.findForUpdate(workspaceId, team.id))!;
        stored.cancel({ by: 'guest', reason: null, now });
        await p.bookings.save(stored);
      });
      await expect(free(h1, '2026-12-03T10:50:00Z')).resolves.toBeUndefined();
      await expect(free(h2, '2026-12-03T10:40:00Z')).resolves.toBeUndefined();
    });

    it('collective: lockHostBookings counts the bookings of the type a host co-hosts', async () => {
      const { workspaceId, eventTypeId, hostIds } = await p.given(2);
      const [h1, h2] = hostIds as [string, string];
      const team = aBooking({
        workspaceId,
        eventTypeId,
        hostId: h1,
        coHosts: [{ hostId: h2, bufferBeforeMinutes: 0, bufferAfterMinutes: 0 }],
        start: '2026-12-03T09:00:00Z',
      });
      await p.bookings.add(team);
      const found = await p.uow.transactional(() =>
        p.bookings.lockHostBookings(
          workspaceId,
          h2,
          eventTypeId,
          { start: new Date('2026-12-03T00:00:00Z'), end: new Date('2026-12-04T00:00:00Z') },
          now,
        ),
      );
      expect(found).toEqual([
        { id: team.id, start: new Date('2026-12-03T09:00:00Z'), end: new Date('2026-12-03T09:30:00Z') },
      ]);
    });

    it('refuses a room two confirmed bookings of a workspace would hold at overlapping meeting times (no buffers), whatever the hosts', async () => {
      const { workspaceId, eventTypeId, hostIds } = await p.given(3);
      const [h1, h2, h3] = hostIds as [string, string, string];
      const room = { email: 'room-1@contoso.com', name: 'One' };
      const first = aBooking({
        workspaceId,
        eventTypeId,
        hostId: h1,
        start: '2026-12-03T09:00:00Z',
        room,
        bufferAfterMinutes: 30,
      });
      await p.bookings.add(first);
      expect((await p.bookings.findById(workspaceId, first.id))?.room).toEqual(room);
      const clash = aBooking({ workspaceId, eventTypeId, hostId: h2, start: '2026-12-03T09:15:00Z', room });
      const error = await p.bookings.add(clash).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RoomTaken);
      expect(error).toBeInstanceOf(SlotTaken);
      // Touching (the buffer is the host's, not the room's), another room, no room: all fine.
      await p.bookings.add(
        aBooking({ workspaceId, eventTypeId, hostId: h2, start: '2026-12-03T09:30:00Z', room }),
      );
      await p.bookings.add(
        aBooking({
          workspaceId,
          eventTypeId,
          hostId: h3,
          start: '2026-12-03T09:00:00Z',
          room: { email: 'room-2@contoso.com', name: 'Two' },
        }),
      );
      // A cancelled booking gives its room back; a move onto a held room is refused.
      first.cancel({ by: 'guest', reason: null, now });
      await p.bookings.save(first);
      await expect(
        p.bookings.add(
          aBooking({ workspaceId, eventTypeId, hostId: h1, start: '2026-12-03T09:00:00Z', room }),
        ),
      ).resolves.toBeUndefined();
      const later = aBooking({ workspaceId, eventTypeId, hostId: h3, start: '2026-12-03T11:00:00Z', room });
      await p.bookings.add(later);
      later.reschedule({ start: new Date('2026-12-03T09:40:00Z'), now });
      await expect(p.bookings.save(later)).rejects.toBeInstanceOf(RoomTaken);
    });

    it('records the idempotency key of the request that made a booking: one booking per key and workspace, found by it until forgotten', async () => {
      const { workspaceId, eventTypeId, hostIds } = await p.given(2);
      const [h1, h2] = hostIds as [string, string];
      const made = (hostId: string, start: string, at = now) =>
        aBooking({ workspaceId, eventTypeId, hostId, start, now: at });
      const first = made(h1, '2026-12-03T09:00:00Z');
      await p.bookings.add(first, 'digest-1');
      expect((await p.bookings.findByIdempotencyKey(workspaceId, 'digest-1'))?.id).toBe(first.id);
      expect(await p.bookings.findByIdempotencyKey(workspaceId, 'digest-2')).toBeNull();
      // The same request again, even for a free time of another host, makes nothing.
      const again = made(h2, '2026-12-04T09:00:00Z');
      await expect(p.bookings.add(again, 'digest-1')).rejects.toBeInstanceOf(IdempotencyKeyTaken);
      expect(await p.bookings.findById(workspaceId, again.id)).toBeNull();
      // On the same time, either refusal will do: nothing is written.
      const twin = made(h1, '2026-12-03T09:00:00Z');
      const refused = await p.bookings.add(twin, 'digest-1').catch((e: unknown) => e);
      expect(refused instanceof IdempotencyKeyTaken || refused instanceof SlotTaken).toBe(true);
      expect(await p.bookings.findById(workspaceId, twin.id)).toBeNull();
      // Bookings without a key never collide; another workspace's keys are its own.
      await p.bookings.add(made(h2, '2026-12-05T09:00:00Z'));
      await p.bookings.add(made(h2, '2026-12-05T10:00:00Z'), null);
      const other = await p.given(1);
      const theirs = aBooking({
        workspaceId: other.workspaceId,
        eventTypeId: other.eventTypeId,
        hostId: other.hostIds[0],
        start: '2026-12-03T09:00:00Z',
      });
      await p.bookings.add(theirs, 'digest-1');
      expect((await p.bookings.findByIdempotencyKey(other.workspaceId, 'digest-1'))?.id).toBe(theirs.id);
      expect((await p.bookings.findByIdempotencyKey(workspaceId, 'digest-1'))?.id).toBe(first.id);
      // Forgotten once their 24 hours are over, and only then: the key may then be used again.
      const day = 24 * 3600_000;
      const younger = made(h2, '2026-12-06T09:00:00Z', new Date(now.getTime() + day));
      await p.bookings.add(younger, 'digest-3');
      expect(await p.bookings.forgetIdempotencyKeys(new Date(now.getTime() - 1))).toBe(0);
      expect(await p.bookings.forgetIdempotencyKeys(now)).toBeGreaterThanOrEqual(2);
      expect(await p.bookings.findByIdempotencyKey(workspaceId, 'digest-1')).toBeNull();
      expect(await p.bookings.findByIdempotencyKey(other.workspaceId, 'digest-1')).toBeNull();
      expect((await p.bookings.findByIdempotencyKey(workspaceId, 'digest-3'))?.id).toBe(younger.id);
      await p.bookings.add(made(h2, '2026-12-07T09:00:00Z'), 'digest-1');
      expect((await p.bookings.findById(workspaceId, first.id))?.id).toBe(first.id);
    });

    it('frees the time of a cancelled booking, and refuses a reschedule onto a taken time', async () => {
      const { workspaceId, eventTypeId, hostIds } = await p.given(1);
      const a = aBooking({ workspaceId, eventTypeId, hostId: hostIds[0], start: '2026-12-03T09:00:00Z' });
      const b = aBooking({ workspaceId, eventTypeId, hostId: hostIds[0], start: '2026-12-03T10:00:00Z' });
      await p.bookings.add(a);
      await p.bookings.add(b);
      b.reschedule({ start: new Date('2026-12-03T09:15:00Z'), now });
      await expect(p.bookings.save(b)).rejects.toBeInstanceOf(SlotTaken);
      a.cancel({ by: 'guest', reason: null, now });
      await p.bookings.save(a);
      await expect(p.bookings.save(b)).resolves.toBeUndefined();
      expect((await p.bookings.findById(workspaceId, b.id))?.start.toISOString()).toBe(
        '2026-12-03T09:15:00.000Z',
      );
    });

    it('keeps a reassigned booking’s new host and buffers, and blocks that host’s time with them', async () => {
      const { workspaceId, eventTypeId, hostIds } = await p.given(2);
      const [h1, h2] = hostIds as [string, string];
      const b = aBooking({ workspaceId, eventTypeId, hostId: h1, start: '2026-12-03T09:00:00Z' });
      await p.bookings.add(b);
      b.reassign({
        hostId: h2,
        transactionId: randomUUID(),
        bufferBeforeMinutes: 5,
        bufferAfterMinutes: 15,
        now,
      });
      await p.bookings.save(b);
      expect((await p.bookings.findById(workspaceId, b.id))?.toSnapshot()).toEqual(b.toSnapshot());
      const busy = await busyFor(
        workspaceId,
        [h1, h2],
        Date.parse('2026-12-03T00:00:00Z'),
        Date.parse('2026-12-04T00:00:00Z'),
      );
      expect(busy.get(h1)).toBeUndefined();
      expect(busy.get(h2)).toEqual([
        {
          bookingId: b.id,
          start: Date.parse('2026-12-03T08:55:00Z'),
          end: Date.parse('2026-12-03T09:45:00Z'),
        },
      ]);
    });

    it('reports booked time with buffers, pages by start, filters, and finds by calendar event', async () => {
      const { workspaceId, eventTypeId, hostIds } = await p.given(2);
      const [h1, h2] = hostIds as [string, string];
      const b1 = aBooking({
        workspaceId,
        eventTypeId,
        hostId: h1,
        start: '2026-12-03T09:00:00Z',
        bufferBeforeMinutes: 15,
      });
      const b2 = aBooking({ workspaceId, eventTypeId, hostId: h2, start: '2026-12-03T08:00:00Z' });
      const b3 = aBooking({ workspaceId, eventTypeId, hostId: h1, start: '2026-12-04T09:00:00Z' });
      for (const b of [b1, b2, b3]) await p.bookings.add(b);
      const busy = await busyFor(
        workspaceId,
        [h1, h2],
        Date.parse('2026-12-03T00:00:00Z'),
        Date.parse('2026-12-04T00:00:00Z'),
      );
      expect(busy.get(h1)).toEqual([
        {
          bookingId: b1.id,
          start: Date.parse('2026-12-03T08:45:00Z'),
          end: Date.parse('2026-12-03T09:30:00Z'),
        },
      ]);
      expect(busy.get(h2)?.map((x) => x.bookingId)).toEqual([b2.id]);

      const first = await p.bookings.list(workspaceId, {}, { limit: 2 });
      expect(first.data.map((b) => b.id)).toEqual([b2.id, b1.id]);
      const rest = await p.bookings.list(workspaceId, {}, { limit: 2, cursor: first.nextCursor! });
      expect(rest).toEqual({ data: [expect.objectContaining({ id: b3.id })], nextCursor: null });
      expect(
        (
          await p.bookings.list(
            workspaceId,
            { hostId: h1, end: new Date('2026-12-04T00:00:00Z') },
            { limit: 10 },
          )
        ).data.map((b) => b.id),
      ).toEqual([b1.id]);

      b1.calendarWritten({
        eventId: 'evt-1',
        joinUrl: 'https://teams.test/x',
        start: b1.start,
        end: b1.end,
        now,
      });
      await p.bookings.save(b1);
      expect((await p.bookings.findByCalendarEvent(workspaceId, h1, 'evt-1'))?.id).toBe(b1.id);
      expect(await p.bookings.findByCalendarEvent(workspaceId, h2, 'evt-1')).toBeNull();
      const last = await p.bookings.lastBookedAt(workspaceId, eventTypeId, [h1, h2]);
      expect([...last.keys()].sort()).toEqual([h1, h2].sort());
    });

    it('finds the bookings of several calendar events of one host in one read, each event’s latest booking', async () => {
      const { workspaceId, eventTypeId, hostIds } = await p.given(2);
      const [h1, h2] = hostIds as [string, string];
      const written = async (booking: ReturnType<typeof aBooking>, eventId: string) => {
        await p.bookings.add(booking);
        booking.calendarWritten({ eventId, joinUrl: null, start: booking.start, end: booking.end, now });
        await p.bookings.save(booking);
        return booking;
      };
      const at = (hostId: string, start: string, created = now) =>
        aBooking({ workspaceId, eventTypeId, hostId, start, now: created });
      const one = await written(at(h1, '2026-12-03T09:00:00Z'), 'evt-a');
      // The same event id twice for the host (the older one cancelled): the latest made is the one found.
      const older = await written(at(h1, '2026-12-03T10:00:00Z'), 'evt-b');
      older.cancel({ by: 'guest', reason: null, now });
      await p.bookings.save(older);
      const newer = await written(at(h1, '2026-12-03T11:00:00Z', new Date(now.getTime() + 60_000)), 'evt-b');
      const theirs = await written(at(h2, '2026-12-03T09:00:00Z'), 'evt-c');

      const found = await p.bookings.findByCalendarEvents(workspaceId, h1, [
        'evt-a',
        'evt-b',
        'evt-c',
        'evt-none',
        'evt-a',
      ]);
      expect(new Map([...found].map(([eventId, b]) => [eventId, b.id]))).toEqual(
        new Map([
          ['evt-a', one.id],
          ['evt-b', newer.id],
        ]),
      );
      expect(found.get('evt-a')?.toSnapshot()).toEqual(one.toSnapshot());
      // Each as findByCalendarEvent finds it alone.
      for (const eventId of ['evt-a', 'evt-b', 'evt-c', 'evt-none'])
        expect((await p.bookings.findByCalendarEvent(workspaceId, h1, eventId))?.id).toBe(
          found.get(eventId)?.id,
        );
      expect((await p.bookings.findByCalendarEvents(workspaceId, h2, ['evt-c'])).get('evt-c')?.id).toBe(
        theirs.id,
      );
      expect((await p.bookings.findByCalendarEvents(randomUUID(), h1, ['evt-a'])).size).toBe(0);
      expect((await p.bookings.findByCalendarEvents(workspaceId, h1, [])).size).toBe(0);
    });

    it('lists from ?start= the bookings that end after it, those under way at that instant first, page by page', async () => {
      const { workspaceId, eventTypeId, hostIds } = await p.given(3);
      const [h1, h2, h3] = hostIds as [string, string, string];
      const at = (hostId: string, start: string, durationMinutes = 30) =>
        aBooking({ workspaceId, eventTypeId, hostId, start, durationMinutes });
      const ended = at(h3, '2026-12-03T08:00:00Z'); // ends 08:30, at the instant: not listed
      const long = at(h2, '2026-12-02T21:00:00Z', 720); // under way since the evening before
      const underWay = at(h1, '2026-12-03T08:15:00Z', 60);
      const atStart = at(h3, '2026-12-03T08:30:00Z');
      const later = [
        at(h1, '2026-12-03T10:00:00Z'),
        at(h2, '2026-12-03T11:00:00Z'),
        at(h3, '2026-12-04T09:00:00Z'),
      ];
      for (const b of [ended, long, underWay, atStart, ...later]) await p.bookings.add(b);
      const start = new Date('2026-12-03T08:30:00Z');
      const expected = [long, underWay, atStart, ...later].map((b) => b.id);
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await p.bookings.list(workspaceId, { start }, { limit: 2, cursor });
        seen.push(...page.data.map((b) => b.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(seen).toEqual(expected);
      expect(
        (await p.bookings.list(workspaceId, { start, hostId: h1 }, { limit: 10 })).data.map((b) => b.id),
      ).toEqual([underWay.id, later[0]!.id]);
    });

    it('lockHostBookings reads the host’s confirmed bookings of the type in the range, meeting times, by start', async () => {
      const { workspaceId, eventTypeId, hostIds } = await p.given(2);
      const [h1, h2] = hostIds as [string, string];
      const booking = (hostId: string, start: string) =>
        aBooking({
          workspaceId,
          eventTypeId,
          hostId,
          start,
          bufferBeforeMinutes: 30,
          bufferAfterMinutes: 30,
        });
      const late = booking(h1, '2026-12-04T09:00:00Z');
      const early = booking(h1, '2026-12-03T09:00:00Z');
      const outside = booking(h1, '2026-12-05T09:00:00Z');
      const cancelled = booking(h1, '2026-12-03T12:00:00Z');
      const otherHost = booking(h2, '2026-12-03T09:00:00Z');
      for (const b of [late, early, outside, cancelled, otherHost]) await p.bookings.add(b);
      cancelled.cancel({ by: 'guest', reason: null, now });
      await p.bookings.save(cancelled);
      // The range ends where `outside` starts, and within its buffer: only meeting times count.
      const range = { start: new Date('2026-12-03T00:00:00Z'), end: new Date('2026-12-05T09:00:00Z') };
      const found = await p.uow.transactional(() =>
        p.bookings.lockHostBookings(workspaceId, h1, eventTypeId, range, now),
      );
      expect(found).toEqual([
        { id: early.id, start: early.start, end: early.end },
        { id: late.id, start: late.start, end: late.end },
      ]);
      expect(
        await p.uow.transactional(() =>
          p.bookings.lockHostBookings(randomUUID(), h1, eventTypeId, range, now),
        ),
      ).toEqual([]);
    });

    it('lockHostBookings holds the host until its transaction ends: the next one sees what it wrote', async () => {
      const { workspaceId, eventTypeId, hostIds } = await p.given(1);
      const h1 = hostIds[0]!;
      const range = { start: new Date('2026-12-03T00:00:00Z'), end: new Date('2026-12-04T00:00:00Z') };
      let locked!: () => void;
      let release!: () => void;
      const held = new Promise<void>((resolve) => (locked = resolve));
      const go = new Promise<void>((resolve) => (release = resolve));
      const first = p.uow.transactional(async () => {
        await p.bookings.lockHostBookings(workspaceId, h1, eventTypeId, range, now);
        locked();
        await go;
        await p.bookings.add(
          aBooking({ workspaceId, eventTypeId, hostId: h1, start: '2026-12-03T09:00:00Z' }),
        );
      });
      await held;
      let seen: unknown[] | null = null;
      const second = p.uow.transactional(async () => {
        seen = await p.bookings.lockHostBookings(workspaceId, h1, eventTypeId, range, now);
      });
      await new Promise((resolve) => setTimeout(resolve, 200));
      const seenWhileHeld = seen;
      release();
      await Promise.all([first, second]);
      expect(seenWhileHeld).toBeNull();
      expect(seen).toHaveLength(1);
    });

    it('findForUpdate holds the booking until its transaction ends: a racing read-modify-write waits, then builds on it', async () => {
      const { workspaceId, eventTypeId, hostIds } = await p.given(1);
      const b = aBooking({ workspaceId, eventTypeId, hostId: hostIds[0] });
      await p.bookings.add(b);
      let locked!: () => void;
      let release!: () => void;
      const held = new Promise<void>((resolve) => (locked = resolve));
      const go = new Promise<void>((resolve) => (release = resolve));
      const first = p.uow.transactional(async () => {
        const mine = (await p.bookings.findForUpdate(workspaceId, b.id))!;
        locked();
        await go;
        mine.calendarWritten({ eventId: 'evt-1', joinUrl: null, start: mine.start, end: mine.end, now });
        await p.bookings.save(mine);
      });
      await held;
      let secondDone = false;
      const second = p.uow
        .transactional(async () => {
          const theirs = (await p.bookings.findForUpdate(workspaceId, b.id))!;
          theirs.cancel({ by: 'guest', reason: null, now });
          await p.bookings.save(theirs);
        })
        .then(() => (secondDone = true));
      await new Promise((resolve) => setTimeout(resolve, 200));
      const doneWhileHeld = secondDone;
      release();
      await Promise.all([first, second]);
      expect(doneWhileHeld).toBe(false);
      expect((await p.bookings.findById(workspaceId, b.id))?.toSnapshot()).toMatchObject({
        status: 'cancelled',
        calendar: { eventId: 'evt-1' },
      });
      expect(await p.uow.transactional(() => p.bookings.findForUpdate(randomUUID(), b.id))).toBeNull();
    });

    it('commits a booking with its facts numbered 1, 2, 3 and its calendar work queued', async () => {
      const { workspaceId, eventTypeId, hostIds } = await p.given(1);
      const committer = new BookingCommitter(p.bookings, p.queue, p.outbox, testBookingResources(), p.uow);
      const b = aBooking({ workspaceId, eventTypeId, hostId: hostIds[0] });
      await committer.commit(b, { insert: { idempotencyKey: null }, calendarDueAt: now });
      const claim = await p.queue.claim(now, 60_000, b.id);
      expect(claim?.bookingId).toBe(b.id);
      await p.queue.complete(claim!);
      const change = async (
        step: (x: NonNullable<Awaited<ReturnType<typeof p.bookings.findById>>>) => void,
      ) =>
        p.uow.transactional(async () => {
          const stored = (await p.bookings.findForUpdate(workspaceId, b.id))!;
          step(stored);
          await committer.commit(stored);
        });
      await change((x) => x.announce(now));
      await change((x) => x.reschedule({ start: new Date('2026-12-03T11:00:00Z'), now }));
      await change((x) => x.cancel({ by: 'guest', reason: null, now }));
      const events = await p.recorded(b.id);
      expect(events.map((e) => [e.type, e.sequence])).toEqual([
        ['booking.created', 1],
        ['booking.rescheduled', 2],
        ['booking.cancelled', 3],
      ]);
      expect(events[2]!.data).toMatchObject({ id: b.id, status: 'cancelled' });
      expect((await p.bookings.findById(workspaceId, b.id))?.factSequence).toBe(3);
    });

    it('keeps a booking’s answers, through a move, in every read and in its facts’ payload', async () => {
      const { workspaceId, eventTypeId, hostIds } = await p.given(1);
      const committer = new BookingCommitter(p.bookings, p.queue, p.outbox, testBookingResources(), p.uow);
      const answers: BookingAnswer[] = [
        { questionId: 'company', label: 'Company "HQ"', kind: 'text', value: 'Contoso \\ <b>ü</b>' },
        { questionId: 'topics', label: 'Topics', kind: 'multiple_choice', value: ['Pricing', 'Roll-out'] },
        { questionId: 'consent', label: 'I agree', kind: 'checkbox', value: false },
      ];
      const b = aBooking({ workspaceId, eventTypeId, hostId: hostIds[0], answers });
      await committer.commit(b, { insert: { idempotencyKey: null } });
      expect((await p.bookings.findById(workspaceId, b.id))?.answers).toEqual(answers);
      await p.uow.transactional(async () => {
        const stored = (await p.bookings.findForUpdate(workspaceId, b.id))!;
        stored.announce(now);
        stored.reschedule({ start: new Date('2026-12-03T11:00:00Z'), now });
        await committer.commit(stored);
      });
      expect((await p.bookings.findByManageTokenHash(b.manageToken!.hash))?.answers).toEqual(answers);
      const listed = await p.bookings.list(workspaceId, {}, { limit: 10 });
      expect(listed.data.map((x) => x.answers)).toEqual([answers]);
      const events = await p.recorded(b.id);
      expect(events.map((e) => e.type)).toEqual(['booking.created', 'booking.rescheduled']);
      for (const e of events) {
        expect((e.data as { answers: unknown }).answers).toEqual(
          answers.map(({ questionId, label, value }) => ({ questionId, label, value })),
        );
      }
      // A booking made without questions has no answers, never null.
      const plain = aBooking({ workspaceId, eventTypeId, hostId: hostIds[0], start: '2026-12-04T09:00:00Z' });
      await p.bookings.add(plain);
      expect((await p.bookings.findById(workspaceId, plain.id))?.answers).toEqual([]);
    });

    it('refuses a second fact N of one booking: of two writers that read it before either wrote, one fails', async () => {
      const { workspaceId, eventTypeId, hostIds } = await p.given(1);
      const committer = new BookingCommitter(p.bookings, p.queue, p.outbox, testBookingResources(), p.uow);
      const b = aBooking({ workspaceId, eventTypeId, hostId: hostIds[0] });
      await committer.commit(b, { insert: { idempotencyKey: null } });
      const one = (await p.bookings.findById(workspaceId, b.id))!;
      const two = (await p.bookings.findById(workspaceId, b.id))!;
      one.announce(now);
      two.announce(now);
      await committer.commit(one);
      await expect(committer.commit(two)).rejects.toBeInstanceOf(WriteConflict);
      expect((await p.recorded(b.id)).map((e) => e.type)).toEqual(['booking.created']);
    });

    it('locks each due reminder for one transaction; once sent (by the booking), it is not due again', async () => {
      const { workspaceId, eventTypeId, hostIds } = await p.given(1);
      const committer = new BookingCommitter(p.bookings, p.queue, p.outbox, testBookingResources(), p.uow);
      const soon = aBooking({
        workspaceId,
        eventTypeId,
        hostId: hostIds[0],
        start: new Date(now.getTime() + 30 * 60_000),
      });
      const later = aBooking({
        workspaceId,
        eventTypeId,
        hostId: hostIds[0],
        start: new Date(now.getTime() + 5 * 3600_000),
      });
      await p.bookings.add(soon);
      await p.bookings.add(later);
      const send = () =>
        p.uow.transactional(async () => {
          const sent: string[] = [];
          for (const { booking, reminderMinutes } of await p.bookings.lockDueReminders(now, 10)) {
            expect(reminderMinutes).toBe(60);
            if (booking.remind(now, reminderMinutes)) {
              await committer.commit(booking);
              sent.push(booking.id);
            }
          }
          return sent;
        });
      expect(await send()).toEqual([soon.id]);
      expect(await send()).toEqual([]);
      expect((await p.recorded(soon.id)).map((e) => [e.type, e.sequence])).toEqual([['booking.reminder', 1]]);
    });

    it('queues calendar work: claims once with a lease, keeps work queued meanwhile, retries later', async () => {
      const { workspaceId, eventTypeId, hostIds } = await p.given(1);
      const b = aBooking({ workspaceId, eventTypeId, hostId: hostIds[0] });
      await p.bookings.add(b);
      await p.queue.enqueue(workspaceId, b.id, now);
      const claim = await p.queue.claim(now, 60_000);
      expect(claim).toMatchObject({ bookingId: b.id, attempts: 1 });
      expect(await p.queue.claim(now, 60_000)).toBeNull();
      expect(await p.queue.claim(new Date(now.getTime() + 61_000), 60_000)).toMatchObject({
        bookingId: b.id,
        attempts: 2,
      });
      // Queued again while being worked on: completing the older claim keeps the new work.
      await p.queue.enqueue(workspaceId, b.id, now);
      await p.queue.complete(claim!);
      const t = (ms: number) => new Date(now.getTime() + ms);
      const again = await p.queue.claim(t(122_000), 60_000);
      expect(again).toMatchObject({ bookingId: b.id });
      // Under way while claimed within the lease (in its workspace only), or due.
      expect(await p.queue.underway(workspaceId, b.id, t(130_000))).toBe(true);
      expect(await p.queue.underway(randomUUID(), b.id, t(130_000))).toBe(false);
      // A failed attempt is not under way, though it stays queued; not even its booking claims it before its retry.
      await p.queue.retryAt(again!, t(300_000), 'Graph 503');
      expect(await p.queue.underway(workspaceId, b.id, t(130_000))).toBe(false);
      expect(await p.queue.claim(t(200_000), 60_000)).toBeNull();
      expect(await p.queue.claim(t(200_000), 60_000, b.id)).toBeNull();
      expect(await p.queue.underway(workspaceId, b.id, t(300_000))).toBe(true);
      const last = await p.queue.claim(t(300_000), 60_000, b.id);
      expect(last).toMatchObject({ bookingId: b.id });
      expect(await p.queue.underway(workspaceId, b.id, t(300_000))).toBe(true);
      await p.queue.complete(last!);
      expect(await p.queue.underway(workspaceId, b.id, t(300_000))).toBe(false);
      expect(await p.queue.claim(t(999_000), 60_000)).toBeNull();
    });

    it('queues a new booking claimed already by its maker: nobody else claims it within the lease, anyone after', async () => {
      const { workspaceId, eventTypeId, hostIds } = await p.given(1);
      const b = aBooking({ workspaceId, eventTypeId, hostId: hostIds[0] });
      await p.bookings.add(b);
      const t = (ms: number) => new Date(now.getTime() + ms);
      const claim = await p.queue.enqueueClaimed(workspaceId, b.id, now, 60_000);
      expect(claim).toEqual({ bookingId: b.id, workspaceId, attempts: 1, generation: 0 });
      expect(await p.queue.underway(workspaceId, b.id, t(30_000))).toBe(true);
      expect(await p.queue.claim(t(30_000), 60_000)).toBeNull();
      expect(await p.queue.claim(t(30_000), 60_000, b.id)).toBeNull();
      // Queued already (a caller's bug: the booking was not just inserted): the write fails, nothing changes.
      await expect(p.queue.enqueueClaimed(workspaceId, b.id, t(1_000), 60_000)).rejects.toThrow();
      expect(await p.queue.claim(t(30_000), 60_000)).toBeNull();
      // Its maker died: the work is anyone's once the lease is over, as a claim's is.
      expect(await p.queue.claim(t(61_000), 60_000)).toMatchObject({ bookingId: b.id, attempts: 2 });
      // Completed by its maker in time: the work is done.
      const other = aBooking({ workspaceId, eventTypeId, hostId: hostIds[0], start: t(86_400_000) });
      await p.bookings.add(other);
      const mine = await p.queue.enqueueClaimed(workspaceId, other.id, now, 60_000);
      await p.queue.complete(mine!);
      expect(await p.queue.underway(workspaceId, other.id, now)).toBe(false);
      expect(await p.queue.claim(t(999_000), 60_000, other.id)).toBeNull();
    });
  });
}
