// The slots read model over the in-memory fakes: what the database statement joins, gathered through their ports.
import { hasLimits } from '@domain/availability/booking-limits.js';
import type {
  BookedInterval,
  HostSnapshot,
  RoomClaim,
  SlotsQuery,
  TypeBooking,
} from '@application/ports/slots.read-model.js';
import { SlotsReadModel } from '@application/ports/slots.read-model.js';
import type { AvailabilityPolicyRepository } from '@application/ports/availability-policy.repository.js';
import type { CalendarVersions } from '@application/ports/calendar-versions.js';
import type { ChangeNotificationCoverage } from '@application/ports/change-notification-coverage.js';
import type { EventTypeRepository } from '@application/ports/event-type.repository.js';
import type { MemberRepository } from '@application/ports/member.repository.js';
import type { MicrosoftConnectionRepository } from '@application/ports/microsoft-connection.repository.js';
import { Booking } from '@domain/booking/booking.js';
import { Hold } from '@domain/hold/hold.js';
import type { InMemoryBookingRepository } from './in-memory-booking.repository.js';

export interface InMemorySlotsSources {
  eventTypes: EventTypeRepository;
  members: MemberRepository;
  connections: MicrosoftConnectionRepository;
  policies: AvailabilityPolicyRepository;
  /** Without it every calendar is at version 0. */
  versions?: CalendarVersions;
  /** Without it no subscription is live. */
  coverage?: ChangeNotificationCoverage;
  /** Confirmed bookings and live holds take their blocked time (buffers included), as in the database. */
  bookings?: InMemoryBookingRepository;
}

export class InMemorySlotsReadModel extends SlotsReadModel {
  /** Booked time set by hand: tests of slots before (and besides) real bookings. */
  private readonly extraBooked: (BookedInterval & { workspaceId: string; hostId: string })[] = [];

  constructor(private readonly sources: InMemorySlotsSources) {
    super();
  }

  addBooked(workspaceId: string, hostId: string, interval: BookedInterval): void {
    this.extraBooked.push({ ...interval, workspaceId, hostId });
  }

  async forEventType(query: SlotsQuery & { eventTypeId: string }) {
    const eventType = await this.sources.eventTypes.findById(query.workspaceId, query.eventTypeId);
    if (!eventType) return null;
    return {
      eventType,
      hosts: await this.forHosts({ ...query, eventTypeId: eventType.id, hostIds: eventType.hostIds }),
      roomClaims: this.roomClaims(
        query.workspaceId,
        eventType.rooms?.rooms.map((r) => r.email) ?? [],
        query.booked,
        query.now,
      ),
    };
  }

  /** Confirmed bookings' rooms and live holds' rooms of the pool, meeting times overlapping `range`, by start. */
  private roomClaims(
    workspaceId: string,
    pool: readonly string[],
    range: { start: number; end: number },
    now: Date,
  ): RoomClaim[] {
    const rooms = new Set(pool.map((e) => e.toLowerCase()));
    const found: RoomClaim[] = [];
    const claim = (id: string, room: string | undefined, start: Date, end: Date) => {
      const email = room?.toLowerCase();
      if (email !== undefined && rooms.has(email))
        found.push({ room: email, bookingId: id, start: start.getTime(), end: end.getTime() });
    };
    for (const r of this.sources.bookings?.rows.values() ?? []) {
      if (r.workspaceId === workspaceId && r.status === 'confirmed')
        claim(r.id, r.room?.email, r.start, r.end);
    }
    for (const s of this.sources.bookings?.holds.values() ?? []) {
      if (s.workspaceId === workspaceId && Hold.fromSnapshot(s).isLiveAt(now))
        claim(s.id, s.room?.email, s.start, s.end);
    }
    return found
      .filter((c) => c.start < range.end && c.end > range.start)
      .sort((a, b) => a.start - b.start || cmp(a.room, b.room) || cmp(a.bookingId, b.bookingId));
  }

  async forHosts(
    query: SlotsQuery & { eventTypeId: string; hostIds: readonly string[] },
  ): Promise<HostSnapshot[]> {
    const { workspaceId, now } = query;
    const ids = [...query.hostIds];
    const eventType = await this.sources.eventTypes.findById(workspaceId, query.eventTypeId);
    const needsTyped = hasLimits(eventType?.limits);
    const [members, connections, policies, versions, live] = await Promise.all([
      this.sources.members.findByIds(workspaceId, ids),
      this.sources.connections.findByMembers(workspaceId, ids),
      this.sources.policies.findByMembers(workspaceId, ids),
      this.sources.versions?.current(workspaceId, ids) ?? new Map<string, number>(),
      this.sources.coverage?.liveMembers(workspaceId, ids, now) ?? new Set<string>(),
    ]);
    return ids.map((hostId) => ({
      hostId,
      member: members.find((m) => m.id === hostId) ?? null,
      connection: connections.find((c) => c.memberId === hostId) ?? null,
      policy: policies.find((p) => p.memberId === hostId) ?? null,
      calendarVersion: versions.get(hostId) ?? 0,
      subscriptionLive: live.has(hostId),
      booked: this.booked(workspaceId, hostId, query.booked, now),
      typeBookings: needsTyped
        ? this.typeBookings(workspaceId, hostId, query.eventTypeId, query.typeBooked, now)
        : [],
    }));
  }

  private typeBookings(
    workspaceId: string,
    hostId: string,
    eventTypeId: string,
    range: { start: number; end: number },
    now: Date,
  ): TypeBooking[] {
    // A hold live at `now` counts toward the limits as a booking of the type.
    return (
      this.sources.bookings?.typeTimes(
        { workspaceId, hostId, eventTypeId },
        { start: new Date(range.start), end: new Date(range.end) },
        now,
      ) ?? []
    ).map((r) => ({ bookingId: r.id, start: r.start.getTime(), end: r.end.getTime() }));
  }

  private booked(workspaceId: string, hostId: string, range: { start: number; end: number }, now: Date) {
    const found: BookedInterval[] = [];
    for (const s of this.sources.bookings?.holds.values() ?? []) {
      const hold = Hold.fromSnapshot(s);
      if (s.workspaceId !== workspaceId || s.hostId !== hostId || !hold.isLiveAt(now)) continue;
      found.push({ bookingId: s.id, start: hold.blocked.start.getTime(), end: hold.blocked.end.getTime() });
    }
    for (const r of this.sources.bookings?.rows.values() ?? []) {
      if (r.workspaceId !== workspaceId || r.status !== 'confirmed') continue;
      // The host's time as organiser or co-host of a collective booking, with the host's own buffers.
      const blocked = Booking.fromSnapshot(r).hostBlocks.find((b) => b.hostId === hostId);
      if (blocked)
        found.push({ bookingId: r.id, start: blocked.start.getTime(), end: blocked.end.getTime() });
    }
    for (const b of this.extraBooked) {
      if (b.workspaceId === workspaceId && b.hostId === hostId) {
        found.push({ bookingId: b.bookingId, start: b.start, end: b.end });
      }
    }
    return found.filter((b) => b.start < range.end && b.end > range.start).sort((a, b) => a.start - b.start);
  }
}

/** As PostgreSQL orders text under the "C" collation (uuids and lower-case addresses alike). */
function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
