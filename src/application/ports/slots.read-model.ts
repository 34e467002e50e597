// What a slots query (and a booking's check of its hosts) needs from the database, read at once: the event
// type, each host's member, Microsoft connection, stored policy, calendar version, change-notification
// coverage, kailenty's own booked time and the event type's own bookings and live holds (which its limits count),
// and the rooms of its pool that kailenty's own bookings and live holds take (Microsoft 365's free/busy of a
// room is cached and may not show them yet). One read instead of seven keeps the warm slots path at one round trip.
import type { AvailabilityPolicy } from '@domain/availability/availability-policy.js';
import type { MicrosoftConnection } from '@domain/connection/microsoft-connection.js';
import type { EventType } from '@domain/event-type/event-type.js';
import type { Member } from '@domain/member/member.js';

/** Time one of kailenty's confirmed bookings, or a hold live at the query's `now`, takes from its host. */
export interface BookedInterval {
  /** Epoch ms, half-open [start, end), already widened by the buffers the booking was made with. */
  start: number;
  end: number;
  /** The booking's id, or the hold's. */
  bookingId: string;
}

/**
 * One of the event type's confirmed bookings of a host, or a hold of the type live at the query's `now` (it
 * counts toward the limits as a booking): its meeting time, epoch ms, without buffers.
 */
export interface TypeBooking {
  /** The booking's id, or the hold's. */
  bookingId: string;
  start: number;
  end: number;
}

/**
 * A claim kailenty itself has on a room of the event type's pool: a confirmed booking that takes the room, or
 * a hold live at the query's `now` that keeps it. Its meeting time (rooms take no buffers), epoch ms.
 */
export interface RoomClaim {
  /** The room's address, lower case. */
  room: string;
  /** The booking's id, or the hold's. */
  bookingId: string;
  start: number;
  end: number;
}

export interface HostSnapshot {
  hostId: string;
  /** Null when no member of the workspace has this id. */
  member: Member | null;
  connection: MicrosoftConnection | null;
  /** The stored policy; null when the member has none (the default applies). */
  policy: AvailabilityPolicy | null;
  /** The member's calendar version (`CalendarVersions`): 0 when it never changed. */
  calendarVersion: number;
  /** Whether a live Graph subscription covers the member's calendar at `now`. */
  subscriptionLive: boolean;
  /** The host's confirmed bookings and live holds overlapping the `booked` range asked for, by start. */
  booked: BookedInterval[];
  /**
   * The host's confirmed bookings and live holds of the event type whose meeting overlaps the `typeBooked` range, by start;
   * empty when the event type has no limits (nothing reads them then, and the warm slots read skips them).
   */
  typeBookings: TypeBooking[];
}

export interface SlotsQuery {
  workspaceId: string;
  /** Epoch ms: bookings overlapping [start, end) are read. */
  booked: { start: number; end: number };
  /** Epoch ms: the event type's bookings overlapping [start, end) are read (wider: a week's limit counts them). */
  typeBooked: { start: number; end: number };
  now: Date;
  /**
   * A read that decides nothing it writes (the slots offered, an explanation): it may be answered from a
   * cache that is current for every read after a write's answer (the adapter's `WorkspaceReadCache`). A
   * booking's check reads without it.
   */
  cacheable?: boolean;
}

export abstract class SlotsReadModel {
  /**
   * The event type and its hosts in its order, and kailenty's claims on the rooms of its pool overlapping the
   * `booked` range (by start; none without a pool); null when the workspace has no such event type.
   */
  abstract forEventType(
    query: SlotsQuery & { eventTypeId: string },
  ): Promise<{ eventType: EventType; hosts: HostSnapshot[]; roomClaims: RoomClaim[] } | null>;

  /** These hosts of this event type, in the order given (an event type already loaded, a subset of its hosts). */
  abstract forHosts(
    query: SlotsQuery & { eventTypeId: string; hostIds: readonly string[] },
  ): Promise<HostSnapshot[]>;
}
