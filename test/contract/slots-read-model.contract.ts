// One contract for the slots read model, run on the in-memory fake (over the in-memory repositories) and on
// the database statement (PGlite, and PostgreSQL when DATABASE_URL is set): what one read gives must be what
// the repositories hold, host by host and in order, inside the workspace only; and the claims kailenty's own
// bookings and live holds have on the rooms of the event type's pool.
import { randomUUID } from 'node:crypto';
import type { AvailabilityPolicyRepository } from '@application/ports/availability-policy.repository.js';
import type { BookingRepository } from '@application/ports/booking.repository.js';
import type { HoldRepository } from '@application/ports/hold.repository.js';
import type { UnitOfWork } from '@application/ports/unit-of-work.js';
import type { CalendarSubscriptionRepository } from '@application/ports/calendar-subscription.repository.js';
import type { CalendarVersions } from '@application/ports/calendar-versions.js';
import type { EventTypeRepository } from '@application/ports/event-type.repository.js';
import type { MemberRepository } from '@application/ports/member.repository.js';
import type { MicrosoftConnectionRepository } from '@application/ports/microsoft-connection.repository.js';
import type { SlotsReadModel } from '@application/ports/slots.read-model.js';
import type { WorkspaceRepository } from '@application/ports/workspace.repository.js';
import { aMember, aWorkspace } from '../builders/member.builder.js';
import { aConnection, aPolicy, anEventType } from '../builders/availability.builder.js';
import { aBooking } from '../builders/booking.builder.js';
import { aHold } from '../builders/hold.builder.js';

export interface SlotsReadModelPorts {
  readModel: SlotsReadModel;
  workspaces: WorkspaceRepository;
  members: MemberRepository;
  connections: MicrosoftConnectionRepository;
  policies: AvailabilityPolicyRepository;
  eventTypes: EventTypeRepository;
  versions: CalendarVersions;
  subscriptions: CalendarSubscriptionRepository;
  bookings: BookingRepository;
  holds: HoldRepository;
  uow: UnitOfWork;
}

const NOW = new Date('2026-12-01T08:00:00Z');
const DAY = 86_400_000;
const range = { start: Date.parse('2026-12-03T00:00:00Z'), end: Date.parse('2026-12-04T00:00:00Z') };

export function slotsReadModelContract(name: string, make: () => Promise<SlotsReadModelPorts>): void {
  describe(`${name}: slots read model contract`, () => {
    let p: SlotsReadModelPorts;
    beforeEach(async () => {
      p = await make();
    });

    async function workspaceWithMembers(count: number) {
      const ws = aWorkspace();
      await p.workspaces.add(ws);
      const members = [];
      for (let i = 0; i < count; i++) {
        const member = aMember({ workspaceId: ws.id });
        await p.members.add(member);
        members.push(member);
      }
      return { ws, members };
    }

    it('reads the event type and each host as the repositories hold them, in the event type’s order', async () => {
      const { ws, members } = await workspaceWithMembers(3);
      const [a, b, c] = members as [(typeof members)[0], (typeof members)[0], (typeof members)[0]];
      const eventType = anEventType({ workspaceId: ws.id, hostIds: [c.id, a.id, b.id] });
      await p.eventTypes.add(eventType);
      const connection = aConnection({ workspaceId: ws.id, memberId: a.id, mailbox: 'a@contoso.com' });
      await p.connections.save(connection);
      const revoked = aConnection({
        workspaceId: ws.id,
        memberId: c.id,
        mailbox: 'c@contoso.com',
        status: 'revoked',
      });
      await p.connections.save(revoked);
      const policy = aPolicy(
        { workspaceId: ws.id, memberId: a.id },
        { bufferBeforeMinutes: 10, extraCalendars: ['room-1@contoso.com'], maxDaysAhead: 30 },
      );
      await p.policies.save(policy);
      await p.versions.bump(ws.id, a.id);
      await p.versions.bump(ws.id, a.id);
      await p.versions.bump(ws.id, b.id);
      await p.subscriptions.save(
        {
          workspaceId: ws.id,
          memberId: a.id,
          subscriptionId: randomUUID(),
          clientStateHash: 'a'.repeat(64),
          status: 'active',
          expiresAt: new Date(NOW.getTime() + DAY),
          dueAt: new Date(NOW.getTime() + DAY / 2),
          deltaLink: null,
          failureReason: null,
        },
        NOW,
      );
      await p.subscriptions.save(
        {
          workspaceId: ws.id,
          memberId: b.id,
          subscriptionId: randomUUID(),
          clientStateHash: 'b'.repeat(64),
          status: 'active',
          expiresAt: new Date(NOW.getTime() - 1),
          dueAt: null,
          deltaLink: null,
          failureReason: null,
        },
        NOW,
      );

      const found = await p.readModel.forEventType({
        workspaceId: ws.id,
        eventTypeId: eventType.id,
        booked: range,
        typeBooked: range,
        now: NOW,
      });
      expect(found?.eventType.toSnapshot()).toEqual(eventType.toSnapshot());
      expect(found?.hosts.map((h) => h.hostId)).toEqual([c.id, a.id, b.id]);
      const [hc, ha, hb] = found!.hosts;
      expect(ha!.member?.toSnapshot()).toEqual(a.toSnapshot());
      expect(ha!.connection?.toSnapshot()).toEqual(connection.toSnapshot());
      expect(ha!.policy?.toSnapshot()).toEqual(policy.toSnapshot());
      expect(ha).toMatchObject({ calendarVersion: 2, subscriptionLive: true, booked: [] });
      expect(hb).toMatchObject({
        connection: null,
        policy: null,
        calendarVersion: 1,
        subscriptionLive: false,
      });
      expect(hc!.connection?.toSnapshot()).toEqual(revoked.toSnapshot());
      expect(hc).toMatchObject({ policy: null, calendarVersion: 0, subscriptionLive: false });
    });

    it('reads each host’s confirmed bookings overlapping the range, buffers included, by start', async () => {
      const { ws, members } = await workspaceWithMembers(2);
      const [h1, h2] = members.map((m) => m.id) as [string, string];
      const eventType = anEventType({ workspaceId: ws.id, hostIds: [h1, h2] });
      await p.eventTypes.add(eventType);
      const booking = (hostId: string, start: string, more: Parameters<typeof aBooking>[0] = {}) =>
        aBooking({ workspaceId: ws.id, eventTypeId: eventType.id, hostId, start, ...more });
      const later = booking(h1, '2026-12-03T15:00:00Z');
      const buffered = booking(h1, '2026-12-03T09:00:00Z', { bufferBeforeMinutes: 15 });
      const edge = booking(h1, '2026-12-03T23:45:00Z', { bufferAfterMinutes: 30 });
      const outside = booking(h1, '2026-12-04T01:00:00Z');
      const cancelled = booking(h1, '2026-12-03T12:00:00Z');
      const other = booking(h2, '2026-12-03T08:00:00Z');
      for (const b of [later, buffered, edge, outside, cancelled, other]) await p.bookings.add(b);
      cancelled.cancel({ by: 'guest', reason: null, now: NOW });
      await p.bookings.save(cancelled);

      const [r1, r2] = (await p.readModel.forEventType({
        workspaceId: ws.id,
        eventTypeId: eventType.id,
        booked: range,
        typeBooked: range,
        now: NOW,
      }))!.hosts;
      expect(r1!.booked).toEqual([
        {
          bookingId: buffered.id,
          start: Date.parse('2026-12-03T08:45:00Z'),
          end: Date.parse('2026-12-03T09:30:00Z'),
        },
        {
          bookingId: later.id,
          start: Date.parse('2026-12-03T15:00:00Z'),
          end: Date.parse('2026-12-03T15:30:00Z'),
        },
        {
          bookingId: edge.id,
          start: Date.parse('2026-12-03T23:45:00Z'),
          end: Date.parse('2026-12-04T00:45:00Z'),
        },
      ]);
      expect(r2!.booked.map((b) => b.bookingId)).toEqual([other.id]);
    });

    it('reads no bookings of the type for an event type without limits (nothing needs them)', async () => {
      const { ws, members } = await workspaceWithMembers(1);
      const hostId = members[0]!.id;
      const eventType = anEventType({ workspaceId: ws.id, hostIds: [hostId] });
      await p.eventTypes.add(eventType);
      const booked = aBooking({
        workspaceId: ws.id,
        eventTypeId: eventType.id,
        hostId,
        start: '2026-12-03T10:00:00Z',
      });
      await p.bookings.add(booked);
      const found = await p.readModel.forEventType({
        workspaceId: ws.id,
        eventTypeId: eventType.id,
        booked: range,
        typeBooked: { start: range.start - 9 * DAY, end: range.end + 9 * DAY },
        now: NOW,
      });
      expect(found!.hosts[0]!.typeBookings).toEqual([]);
      // Its time still blocks the host.
      expect(found!.hosts[0]!.booked.map((b) => b.bookingId)).toEqual([booked.id]);
    });

    it('reads the event type’s limits, and each host’s bookings of that type in the wider range, meeting times only', async () => {
      const { ws, members } = await workspaceWithMembers(2);
      const [h1, h2] = members.map((m) => m.id) as [string, string];
      const eventType = anEventType(
        { workspaceId: ws.id, hostIds: [h1, h2] },
        {
          limits: { perDay: 2, perWeek: 5 },
          minimumGapMinutes: 15,
          rooms: { rooms: [{ email: 'room-1@contoso.com', name: 'Harbour' }], required: false },
        },
      );
      const otherType = anEventType({ workspaceId: ws.id, hostIds: [h1] });
      await p.eventTypes.add(eventType);
      await p.eventTypes.add(otherType);
      const booking = (
        eventTypeId: string,
        hostId: string,
        start: string,
        more: Parameters<typeof aBooking>[0] = {},
      ) => aBooking({ workspaceId: ws.id, eventTypeId, hostId, start, ...more });
      // A week before the range: outside `booked`, inside `typeBooked`.
      const weekBefore = booking(eventType.id, h1, '2026-11-26T09:00:00Z', { bufferBeforeMinutes: 30 });
      const sameDay = booking(eventType.id, h1, '2026-12-03T10:00:00Z', { bufferAfterMinutes: 15 });
      const tooEarly = booking(eventType.id, h1, '2026-11-20T09:00:00Z');
      const ofOtherType = booking(otherType.id, h1, '2026-12-03T12:00:00Z');
      const cancelled = booking(eventType.id, h1, '2026-12-03T14:00:00Z');
      const otherHost = booking(eventType.id, h2, '2026-12-04T09:00:00Z');
      for (const b of [weekBefore, sameDay, tooEarly, ofOtherType, cancelled, otherHost])
        await p.bookings.add(b);
      cancelled.cancel({ by: 'guest', reason: null, now: NOW });
      await p.bookings.save(cancelled);

      const found = await p.readModel.forEventType({
        workspaceId: ws.id,
        eventTypeId: eventType.id,
        booked: range,
        typeBooked: { start: range.start - 9 * DAY, end: range.end + 9 * DAY },
        now: NOW,
      });
      expect(found?.eventType.toSnapshot()).toEqual(eventType.toSnapshot());
      expect(found?.eventType.limits).toEqual({ perDay: 2, perWeek: 5, minimumGapMinutes: 15 });
      expect(found?.eventType.rooms).toEqual({
        rooms: [{ email: 'room-1@contoso.com', name: 'Harbour' }],
        required: false,
      });
      const [r1, r2] = found!.hosts;
      expect(r1!.typeBookings).toEqual([
        {
          bookingId: weekBefore.id,
          start: Date.parse('2026-11-26T09:00:00Z'),
          end: Date.parse('2026-11-26T09:30:00Z'),
        },
        {
          bookingId: sameDay.id,
          start: Date.parse('2026-12-03T10:00:00Z'),
          end: Date.parse('2026-12-03T10:30:00Z'),
        },
      ]);
      expect(r1!.booked.map((b) => b.bookingId)).toEqual([sameDay.id, ofOtherType.id]);
      expect(r2!.typeBookings.map((b) => b.bookingId)).toEqual([otherHost.id]);

      const byHosts = (eventTypeId: string) =>
        p.readModel.forHosts({
          workspaceId: ws.id,
          eventTypeId,
          hostIds: [h1],
          booked: range,
          typeBooked: range,
          now: NOW,
        });
      expect((await byHosts(eventType.id))[0]!.typeBookings.map((b) => b.bookingId)).toEqual([sameDay.id]);
      // The other type has no limits: its bookings are not read as the type's (they still block, in `booked`).
      expect((await byHosts(otherType.id))[0]!.typeBookings).toEqual([]);
    });

    it('counts a hold of the type live at `now` among the type’s bookings (meeting time, the hold’s id), and no other hold', async () => {
      const { ws, members } = await workspaceWithMembers(1);
      const hostId = members[0]!.id;
      const eventType = anEventType({ workspaceId: ws.id, hostIds: [hostId] }, { limits: { perDay: 1 } });
      const plain = anEventType({ workspaceId: ws.id, hostIds: [hostId] });
      await p.eventTypes.add(eventType);
      await p.eventTypes.add(plain);
      const hold = (eventTypeId: string, start: string, expiresInSeconds = 300) =>
        aHold({
          workspaceId: ws.id,
          eventTypeId,
          hostId,
          start,
          expiresInSeconds,
          bufferAfterMinutes: 15,
          now: NOW,
        });
      const live = hold(eventType.id, '2026-12-03T09:00:00Z');
      const expiring = hold(eventType.id, '2026-12-03T11:00:00Z', 60);
      const ofPlain = hold(plain.id, '2026-12-03T13:00:00Z');
      for (const h of [live, expiring, ofPlain]) await p.uow.transactional(() => p.holds.add(h));

      const read = async (eventTypeId: string, now: Date) =>
        (await p.readModel.forEventType({
          workspaceId: ws.id,
          eventTypeId,
          booked: range,
          typeBooked: { start: range.start - 9 * DAY, end: range.end + 9 * DAY },
          now,
        }))!.hosts[0]!;
      const at = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);
      expect((await read(eventType.id, at(59))).typeBookings).toEqual([
        {
          bookingId: live.id,
          start: Date.parse('2026-12-03T09:00:00Z'),
          end: Date.parse('2026-12-03T09:30:00Z'),
        },
        {
          bookingId: expiring.id,
          start: Date.parse('2026-12-03T11:00:00Z'),
          end: Date.parse('2026-12-03T11:30:00Z'),
        },
      ]);
      expect((await read(eventType.id, at(60))).typeBookings.map((b) => b.bookingId)).toEqual([live.id]);
      // The type without limits reads none (its hold still takes the host's time, in `booked`).
      const ofPlainType = await read(plain.id, at(60));
      expect(ofPlainType.typeBookings).toEqual([]);
      expect(ofPlainType.booked.map((b) => b.bookingId)).toEqual([live.id, ofPlain.id]);
    });

    it('reads the claims on the pool’s rooms: confirmed bookings’ and live holds’ rooms of the workspace, meeting times, by start', async () => {
      const { ws, members } = await workspaceWithMembers(3);
      const [h1, h2, h3] = members.map((m) => m.id) as [string, string, string];
      const other = await workspaceWithMembers(1);
      const ONE = { email: 'room-1@contoso.com', name: 'One' };
      const TWO = { email: 'room-2@contoso.com', name: 'Two' };
      const pooled = anEventType(
        { workspaceId: ws.id, hostIds: [h1] },
        { rooms: { rooms: [ONE, TWO], required: true } },
      );
      const plain = anEventType({ workspaceId: ws.id, hostIds: [h1] });
      await p.eventTypes.add(pooled);
      await p.eventTypes.add(plain);
      const booking = (hostId: string, start: string, room: typeof ONE | null, more = {}) =>
        aBooking({ workspaceId: ws.id, hostId, start, room, ...more });
      // Any host and event type of the workspace: the room is the workspace's.
      const buffered = booking(h2, '2026-12-03T09:00:00Z', ONE, { bufferBeforeMinutes: 30 });
      const two = booking(h3, '2026-12-03T09:00:00Z', TWO);
      const cancelled = booking(h2, '2026-12-03T12:00:00Z', ONE);
      const outside = booking(h2, '2026-12-04T09:00:00Z', ONE);
      const elsewhere = { email: 'room-9@contoso.com', name: 'Nine' };
      const notInPool = booking(h3, '2026-12-03T14:00:00Z', elsewhere);
      const roomless = booking(h3, '2026-12-03T16:00:00Z', null);
      for (const b of [buffered, two, cancelled, outside, notInPool, roomless]) await p.bookings.add(b);
      await p.bookings.add(
        aBooking({
          workspaceId: other.ws.id,
          hostId: other.members[0]!.id,
          start: '2026-12-03T10:00:00Z',
          room: ONE,
        }),
      );
      cancelled.cancel({ by: 'guest', reason: null, now: NOW });
      await p.bookings.save(cancelled);
      const held = aHold({
        workspaceId: ws.id,
        hostId: h1,
        start: '2026-12-03T11:00:00Z',
        room: TWO,
        expiresInSeconds: 60,
        now: NOW,
      });
      const heldLater = aHold({
        workspaceId: ws.id,
        hostId: h2,
        start: '2026-12-03T15:00:00Z',
        room: ONE,
        expiresInSeconds: 600,
        now: NOW,
      });
      const unroomed = aHold({ workspaceId: ws.id, hostId: h3, start: '2026-12-03T17:00:00Z', now: NOW });
      for (const h of [held, heldLater, unroomed]) await p.uow.transactional(() => p.holds.add(h));

      const read = async (eventTypeId: string, seconds: number) =>
        (await p.readModel.forEventType({
          workspaceId: ws.id,
          eventTypeId,
          booked: range,
          typeBooked: range,
          now: new Date(NOW.getTime() + seconds * 1000),
        }))!.roomClaims;
      const claim = (room: string, bookingId: string, start: string, end: string) => ({
        room,
        bookingId,
        start: Date.parse(start),
        end: Date.parse(end),
      });
      expect(await read(pooled.id, 59)).toEqual([
        claim('room-1@contoso.com', buffered.id, '2026-12-03T09:00:00Z', '2026-12-03T09:30:00Z'),
        claim('room-2@contoso.com', two.id, '2026-12-03T09:00:00Z', '2026-12-03T09:30:00Z'),
        claim('room-2@contoso.com', held.id, '2026-12-03T11:00:00Z', '2026-12-03T11:30:00Z'),
        claim('room-1@contoso.com', heldLater.id, '2026-12-03T15:00:00Z', '2026-12-03T15:30:00Z'),
      ]);
      // At its expiry the hold claims nothing any more.
      expect((await read(pooled.id, 60)).map((c) => c.bookingId)).toEqual([
        buffered.id,
        two.id,
        heldLater.id,
      ]);
      // An event type without rooms has no claims to read.
      expect(await read(plain.id, 0)).toEqual([]);
    });

    it('answers null for an event type of another workspace, an unknown id, or not an id at all', async () => {
      const { ws, members } = await workspaceWithMembers(1);
      const other = await workspaceWithMembers(0);
      const eventType = anEventType({ workspaceId: ws.id, hostIds: [members[0]!.id] });
      await p.eventTypes.add(eventType);
      const query = { booked: range, typeBooked: range, now: NOW };
      expect(
        await p.readModel.forEventType({ ...query, workspaceId: other.ws.id, eventTypeId: eventType.id }),
      ).toBeNull();
      expect(
        await p.readModel.forEventType({ ...query, workspaceId: ws.id, eventTypeId: randomUUID() }),
      ).toBeNull();
      expect(
        await p.readModel.forEventType({ ...query, workspaceId: ws.id, eventTypeId: 'nope' }),
      ).toBeNull();
    });

    it('reads hosts by id in the order given; one of another workspace or unknown has no member', async () => {
      const { ws, members } = await workspaceWithMembers(2);
      const stranger = await workspaceWithMembers(1);
      const [a, b] = members as [(typeof members)[0], (typeof members)[0]];
      await p.bookings.add(aBooking({ workspaceId: stranger.ws.id, hostId: stranger.members[0]!.id }));
      const unknown = randomUUID();
      const hosts = await p.readModel.forHosts({
        workspaceId: ws.id,
        eventTypeId: randomUUID(),
        hostIds: [b.id, stranger.members[0]!.id, unknown, 'not-a-uuid', a.id],
        booked: range,
        typeBooked: range,
        now: NOW,
      });
      expect(hosts.map((h) => h.hostId)).toEqual([
        b.id,
        stranger.members[0]!.id,
        unknown,
        'not-a-uuid',
        a.id,
      ]);
      expect(hosts.map((h) => h.member?.id ?? null)).toEqual([b.id, null, null, null, a.id]);
      expect(hosts.every((h) => h.booked.length === 0 && h.connection === null)).toBe(true);
      expect(
        await p.readModel.forHosts({
          workspaceId: ws.id,
          eventTypeId: randomUUID(),
          hostIds: [],
          booked: range,
          typeBooked: range,
          now: NOW,
        }),
      ).toEqual([]);
    });
  });
}
