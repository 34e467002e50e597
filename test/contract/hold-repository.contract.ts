// One contract for the hold repository, run on the in-memory fakes and on PostgreSQL/PGlite: a live hold
// takes its host's time from bookings and other holds (and from the slots read), an expired or released one
// takes nothing, and the cleanup deletes holds by expiry. A hold that keeps a room keeps it from other holds and
// bookings of the workspace (meeting times) while live, and gives it back once expired or released.
import { randomUUID } from 'node:crypto';
import { RoomTaken, SlotTaken, type BookingRepository } from '@application/ports/booking.repository.js';
import type { HoldRepository } from '@application/ports/hold.repository.js';
import type { SlotsReadModel } from '@application/ports/slots.read-model.js';
import type { UnitOfWork } from '@application/ports/unit-of-work.js';
import { aBooking } from '../builders/booking.builder.js';
import { aHold } from '../builders/hold.builder.js';

export interface HoldPorts {
  holds: HoldRepository;
  bookings: BookingRepository;
  /** Where slots read the time bookings and holds take. */
  booked: SlotsReadModel;
  uow: UnitOfWork;
  /** A workspace and hosts that exist. */
  given(hosts: number): Promise<{ workspaceId: string; hostIds: string[] }>;
}

const now = new Date('2026-12-01T08:00:00Z');
const later = (seconds: number) => new Date(now.getTime() + seconds * 1000);

export function holdRepositoryContract(name: string, make: () => Promise<HoldPorts>): void {
  describe(`${name}: hold repository contract`, () => {
    let p: HoldPorts;
    beforeEach(async () => {
      p = await make();
    });

    const add = (hold: ReturnType<typeof aHold>) => p.uow.transactional(() => p.holds.add(hold));

    /** The time the host's bookings and holds take in the slots read at `at`, as [start, end) ISO pairs. */
    async function takenAt(workspaceId: string, hostId: string, at: Date): Promise<string[][]> {
      const [host] = await p.booked.forHosts({
        workspaceId,
        eventTypeId: randomUUID(),
        hostIds: [hostId],
        booked: { start: Date.parse('2026-12-03T00:00:00Z'), end: Date.parse('2026-12-04T00:00:00Z') },
        typeBooked: { start: 0, end: 1 },
        now: at,
      });
      return host!.booked.map((b) => [new Date(b.start).toISOString(), new Date(b.end).toISOString()]);
    }

    it('stores and reads back a hold, only within its workspace', async () => {
      const { workspaceId, hostIds } = await p.given(1);
      const hold = aHold({ workspaceId, hostId: hostIds[0], bufferBeforeMinutes: 5 });
      await add(hold);
      expect((await p.holds.findById(workspaceId, hold.id))?.toSnapshot()).toEqual(hold.toSnapshot());
      expect(await p.holds.findById(randomUUID(), hold.id)).toBeNull();
      expect(await p.holds.findById(workspaceId, 'not-a-uuid')).toBeNull();
    });

    it("refuses a hold over a host's confirmed booking (buffers included), and lets touching times and other hosts be", async () => {
      const { workspaceId, hostIds } = await p.given(2);
      const [h1, h2] = hostIds as [string, string];
      await p.bookings.add(
        aBooking({ workspaceId, hostId: h1, start: '2026-12-03T09:00:00Z', bufferAfterMinutes: 10 }),
      );
      await expect(
        add(aHold({ workspaceId, hostId: h1, start: '2026-12-03T09:35:00Z' })),
      ).rejects.toBeInstanceOf(SlotTaken);
      await expect(
        add(aHold({ workspaceId, hostId: h1, start: '2026-12-03T08:30:00Z', bufferAfterMinutes: 1 })),
      ).rejects.toBeInstanceOf(SlotTaken);
      await add(aHold({ workspaceId, hostId: h1, start: '2026-12-03T09:40:00Z' }));
      await add(aHold({ workspaceId, hostId: h2, start: '2026-12-03T09:00:00Z' }));
    });

    it('collective: a hold of a co-host over the team’s booking is refused, and the team’s booking over a co-host’s live hold', async () => {
      const { workspaceId, hostIds } = await p.given(2);
      const [h1, h2] = hostIds as [string, string];
      const team = (start: string) =>
        aBooking({
          workspaceId,
          hostId: h1,
          coHosts: [{ hostId: h2, bufferBeforeMinutes: 0, bufferAfterMinutes: 10 }],
          start,
          now,
        });
      await p.bookings.add(team('2026-12-03T09:00:00Z'));
      // h2's own 10 minutes after the meeting are the team's too.
      await expect(
        add(aHold({ workspaceId, hostId: h2, start: '2026-12-03T09:35:00Z' })),
      ).rejects.toBeInstanceOf(SlotTaken);
      await add(aHold({ workspaceId, hostId: h2, start: '2026-12-03T09:40:00Z', expiresInSeconds: 600 }));
      await expect(
        p.uow.transactional(() => p.bookings.add(team('2026-12-03T10:00:00Z'))),
      ).rejects.toBeInstanceOf(SlotTaken);
    });

    it('refuses a hold over a live hold of the host, and takes the time once that one expired or was released', async () => {
      const { workspaceId, hostIds } = await p.given(1);
      const hostId = hostIds[0]!;
      await add(aHold({ workspaceId, hostId, start: '2026-12-03T09:00:00Z', expiresInSeconds: 60 }));
      await expect(
        add(aHold({ workspaceId, hostId, start: '2026-12-03T09:15:00Z', now: later(59) })),
      ).rejects.toBeInstanceOf(SlotTaken);
      // At its expiry instant the first hold takes nothing any more.
      const second = aHold({ workspaceId, hostId, start: '2026-12-03T09:15:00Z', now: later(60) });
      await add(second);
      await p.uow.transactional(async () => {
        const locked = (await p.holds.findForUpdate(workspaceId, second.id))!;
        locked.release(later(61));
        await p.holds.save(locked);
      });
      expect((await p.holds.findById(workspaceId, second.id))?.statusAt(later(61))).toBe('released');
      await add(aHold({ workspaceId, hostId, start: '2026-12-03T09:20:00Z', now: later(62) }));
    });

    it('refuses a confirmed booking over a live hold (insert and move), and lets it take the time once the hold expired', async () => {
      const { workspaceId, hostIds } = await p.given(1);
      const hostId = hostIds[0]!;
      await add(aHold({ workspaceId, hostId, start: '2026-12-03T09:00:00Z', bufferBeforeMinutes: 15 }));
      await expect(
        p.uow.transactional(() =>
          p.bookings.add(aBooking({ workspaceId, hostId, start: '2026-12-03T08:30:00Z', now: later(10) })),
        ),
      ).rejects.toBeInstanceOf(SlotTaken);
      const elsewhere = aBooking({ workspaceId, hostId, start: '2026-12-03T11:00:00Z', now: later(10) });
      await p.uow.transactional(() => p.bookings.add(elsewhere));
      await expect(
        p.uow.transactional(async () => {
          const stored = (await p.bookings.findForUpdate(workspaceId, elsewhere.id))!;
          stored.reschedule({ start: new Date('2026-12-03T09:10:00Z'), now: later(20) });
          await p.bookings.save(stored);
        }),
      ).rejects.toBeInstanceOf(SlotTaken);
      await p.uow.transactional(() =>
        p.bookings.add(aBooking({ workspaceId, hostId, start: '2026-12-03T08:30:00Z', now: later(300) })),
      );
    });

    describe('a hold that keeps a room', () => {
      const ONE = { email: 'room-1@contoso.com', name: 'One' };
      const TWO = { email: 'room-2@contoso.com', name: 'Two' };

      it('is stored with its room, and refused over a confirmed booking’s or a live hold’s room of the workspace (meeting times, no buffers)', async () => {
        const { workspaceId, hostIds } = await p.given(4);
        const [h1, h2, h3, h4] = hostIds as [string, string, string, string];
        const other = await p.given(1);
        await p.bookings.add(
          aBooking({
            workspaceId,
            hostId: h1,
            start: '2026-12-03T09:00:00Z',
            bufferAfterMinutes: 30,
            room: ONE,
          }),
        );
        const kept = aHold({ workspaceId, hostId: h2, start: '2026-12-03T11:00:00Z', room: TWO });
        await add(kept);
        expect((await p.holds.findById(workspaceId, kept.id))?.toSnapshot()).toEqual(kept.toSnapshot());
        expect((await p.holds.findById(workspaceId, kept.id))?.room).toEqual(TWO);
        // Another host, the same room at an overlapping time: refused as the room's, not the host's.
        const over = (hostId: string, start: string, room = ONE) =>
          add(aHold({ workspaceId, hostId, start, room: { ...room, email: room.email.toUpperCase() } }));
        await expect(over(h3, '2026-12-03T09:15:00Z')).rejects.toBeInstanceOf(RoomTaken);
        await expect(over(h3, '2026-12-03T10:45:00Z', TWO)).rejects.toBeInstanceOf(RoomTaken);
        // Touching the booking's meeting (its buffer is the host's, not the room's), another room, another workspace.
        await over(h3, '2026-12-03T09:30:00Z');
        await over(h4, '2026-12-03T09:00:00Z', TWO);
        await add(
          aHold({
            workspaceId: other.workspaceId,
            hostId: other.hostIds[0],
            start: '2026-12-03T09:00:00Z',
            room: ONE,
          }),
        );
      });

      it('keeps its room from bookings (insert, move, another room) while live, gives it back once expired or released, and to the booking made from it', async () => {
        const { workspaceId, hostIds } = await p.given(3);
        const [h1, h2, h3] = hostIds as [string, string, string];
        const held = aHold({
          workspaceId,
          hostId: h1,
          start: '2026-12-03T09:00:00Z',
          room: ONE,
          expiresInSeconds: 60,
        });
        await add(held);
        const booking = (hostId: string, start: string, at: Date, room = ONE) =>
          aBooking({ workspaceId, hostId, start, room, now: at });
        await expect(
          p.uow.transactional(() => p.bookings.add(booking(h2, '2026-12-03T09:15:00Z', later(10)))),
        ).rejects.toBeInstanceOf(RoomTaken);
        const elsewhere = booking(h2, '2026-12-03T13:00:00Z', later(10));
        await p.uow.transactional(() => p.bookings.add(elsewhere));
        await expect(
          p.uow.transactional(async () => {
            const stored = (await p.bookings.findForUpdate(workspaceId, elsewhere.id))!;
            stored.reschedule({ start: new Date('2026-12-03T09:00:00Z'), now: later(20) });
            await p.bookings.save(stored);
          }),
        ).rejects.toBeInstanceOf(RoomTaken);
        const withTwo = booking(h3, '2026-12-03T09:00:00Z', later(20), TWO);
        await p.uow.transactional(() => p.bookings.add(withTwo));
        await expect(
          p.uow.transactional(async () => {
            const stored = (await p.bookings.findForUpdate(workspaceId, withTwo.id))!;
            stored.reschedule({ start: stored.start, room: ONE, now: later(30) });
            await p.bookings.save(stored);
          }),
        ).rejects.toBeInstanceOf(RoomTaken);
        // At its expiry the hold gives the room back.
        await p.uow.transactional(() => p.bookings.add(booking(h2, '2026-12-03T09:15:00Z', later(60))));

        const released = aHold({
          workspaceId,
          hostId: h1,
          start: '2026-12-03T15:00:00Z',
          room: TWO,
          now: later(61),
        });
        await add(released);
        await p.uow.transactional(async () => {
          const locked = (await p.holds.findForUpdate(workspaceId, released.id))!;
          locked.release(later(62));
          await p.holds.save(locked);
        });
        await p.uow.transactional(() => p.bookings.add(booking(h2, '2026-12-03T15:00:00Z', later(63), TWO)));

        const converted = aHold({
          workspaceId,
          hostId: h3,
          start: '2026-12-03T17:00:00Z',
          room: ONE,
          now: later(64),
        });
        await add(converted);
        const fromHold = booking(h3, '2026-12-03T17:00:00Z', later(65));
        await p.uow.transactional(async () => {
          const locked = (await p.holds.findForUpdate(workspaceId, converted.id))!;
          locked.convert(fromHold.id, later(65));
          await p.holds.save(locked);
          await p.bookings.add(fromHold);
        });
        expect((await p.bookings.findById(workspaceId, fromHold.id))?.room).toEqual(ONE);
      });
    });

    it('puts a live hold in the slots read (buffers included) and leaves it out once expired, released or booked', async () => {
      const { workspaceId, hostIds } = await p.given(1);
      const hostId = hostIds[0]!;
      const held = aHold({
        workspaceId,
        hostId,
        start: '2026-12-03T09:00:00Z',
        bufferAfterMinutes: 10,
        expiresInSeconds: 60,
      });
      await add(held);
      expect(await takenAt(workspaceId, hostId, later(59))).toEqual([
        ['2026-12-03T09:00:00.000Z', '2026-12-03T09:40:00.000Z'],
      ]);
      expect(await takenAt(workspaceId, hostId, later(60))).toEqual([]);

      const booked = aHold({ workspaceId, hostId, start: '2026-12-03T12:00:00Z', now: later(61) });
      await add(booked);
      expect(await takenAt(workspaceId, hostId, later(62))).toEqual([
        ['2026-12-03T12:00:00.000Z', '2026-12-03T12:30:00.000Z'],
      ]);
      const booking = aBooking({ workspaceId, hostId, start: '2026-12-03T12:00:00Z', now: later(63) });
      await p.uow.transactional(async () => {
        const locked = (await p.holds.findForUpdate(workspaceId, booked.id))!;
        locked.convert(booking.id, later(63));
        await p.holds.save(locked);
        await p.bookings.add(booking);
      });
      // The booking takes the time now, once (the hold no longer does).
      expect(await takenAt(workspaceId, hostId, later(64))).toEqual([
        ['2026-12-03T12:00:00.000Z', '2026-12-03T12:30:00.000Z'],
      ]);
      expect((await p.holds.findById(workspaceId, booked.id))?.toSnapshot()).toMatchObject({
        state: 'booked',
        bookingId: booking.id,
      });
    });

    it('lockHostBookings counts the host’s holds of the type live at the instant given, as bookings of it (meeting times)', async () => {
      const { workspaceId, hostIds } = await p.given(2);
      const [h1, h2] = hostIds as [string, string];
      const eventTypeId = randomUUID();
      const hold = (more: Parameters<typeof aHold>[0]) =>
        aHold({ workspaceId, eventTypeId, hostId: h1, ...more });
      const live = hold({ start: '2026-12-03T09:00:00Z', bufferBeforeMinutes: 30, expiresInSeconds: 60 });
      const longer = hold({ start: '2026-12-03T11:00:00Z', expiresInSeconds: 600 });
      const released = hold({ start: '2026-12-03T13:00:00Z' });
      const ofOtherType = hold({ start: '2026-12-03T14:00:00Z', eventTypeId: randomUUID() });
      const ofOtherHost = hold({ start: '2026-12-03T09:00:00Z', hostId: h2 });
      const booking = aBooking({ workspaceId, eventTypeId, hostId: h1, start: '2026-12-03T10:00:00Z' });
      for (const h of [live, longer, released, ofOtherType, ofOtherHost]) await add(h);
      await p.uow.transactional(async () => {
        const locked = (await p.holds.findForUpdate(workspaceId, released.id))!;
        locked.release(later(1));
        await p.holds.save(locked);
        await p.bookings.add(booking);
      });
      const range = { start: new Date('2026-12-03T00:00:00Z'), end: new Date('2026-12-04T00:00:00Z') };
      const counted = (at: Date) =>
        p.uow.transactional(() => p.bookings.lockHostBookings(workspaceId, h1, eventTypeId, range, at));
      expect(await counted(later(59))).toEqual([
        { id: live.id, start: live.start, end: live.end },
        { id: booking.id, start: booking.start, end: booking.end },
        { id: longer.id, start: longer.start, end: longer.end },
      ]);
      // At its expiry instant a hold counts no more.
      expect((await counted(later(60))).map((b) => b.id)).toEqual([booking.id, longer.id]);
    });

    it('finds a holder’s holds live at the instant given, oldest first, within the workspace', async () => {
      const { workspaceId, hostIds } = await p.given(1);
      const hostId = hostIds[0]!;
      const mine = (start: string, seconds: number, now = later(0)) =>
        aHold({ workspaceId, hostId, start, expiresInSeconds: seconds, now, holder: 'page:abc' });
      const first = mine('2026-12-03T09:00:00Z', 60);
      const second = mine('2026-12-03T10:00:00Z', 300, later(1));
      const released = mine('2026-12-03T11:00:00Z', 300, later(2));
      const apiHold = aHold({ workspaceId, hostId, start: '2026-12-03T12:00:00Z' });
      for (const h of [first, second, released, apiHold]) await add(h);
      await p.uow.transactional(async () => {
        const locked = (await p.holds.findForUpdate(workspaceId, released.id))!;
        locked.release(later(3));
        await p.holds.save(locked);
      });
      const found = async (at: Date, ws = workspaceId) =>
        (await p.holds.findLiveByHolder(ws, 'page:abc', at)).map((h) => h.id);
      expect(await found(later(10))).toEqual([first.id, second.id]);
      expect(await found(later(60))).toEqual([second.id]);
      expect(await found(later(10), randomUUID())).toEqual([]);
      expect((await p.holds.findById(workspaceId, first.id))?.holder).toBe('page:abc');
      expect((await p.holds.findById(workspaceId, apiHold.id))?.holder).toBeNull();
    });

    it('deletes the holds whose expiry is at or before the instant given, whatever their state', async () => {
      const { workspaceId, hostIds } = await p.given(1);
      const hostId = hostIds[0]!;
      const early = aHold({ workspaceId, hostId, start: '2026-12-03T09:00:00Z', expiresInSeconds: 60 });
      const released = aHold({ workspaceId, hostId, start: '2026-12-03T10:00:00Z', expiresInSeconds: 120 });
      const kept = aHold({ workspaceId, hostId, start: '2026-12-03T11:00:00Z', expiresInSeconds: 121 });
      for (const h of [early, released, kept]) await add(h);
      await p.uow.transactional(async () => {
        const locked = (await p.holds.findForUpdate(workspaceId, released.id))!;
        locked.release(later(1));
        await p.holds.save(locked);
      });
      expect(await p.holds.deleteExpired(later(120))).toBeGreaterThanOrEqual(2);
      expect(await p.holds.findById(workspaceId, early.id)).toBeNull();
      expect(await p.holds.findById(workspaceId, released.id)).toBeNull();
      expect(await p.holds.findById(workspaceId, kept.id)).not.toBeNull();
    });
  });
}
