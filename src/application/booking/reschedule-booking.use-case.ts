// Moves a booking to another start. The host keeps it when free; in a round-robin pool another free host
// takes it otherwise (a new event on their calendar, the old one cancelled). The Outlook event is moved
// with a PATCH of its times only, so the Teams meeting and its link stay the same. A collective booking moves
// only to a start every one of its hosts offers, and keeps them all (each host's own buffers as booked). An
// event type with rooms chooses the room again at the new time (a fresh read, the booking's own meeting in its
// room aside): its room when free there, else the first free room of the pool, the next when a racing booking
// or hold just took it; a required pool with no room free refuses the start as a booking would
// (SLOT_UNAVAILABLE), an optional one moves without a room. The calendar sync moves the Outlook event and
// invites the room chosen (or takes the old one off). As a booking, one unit of work for the hosts' Microsoft
// access (each host's connection and consent read once for the fresh read and the calendar write).
import type { Booking, BookingRoom } from '@domain/booking/booking.js';
import type { EventType } from '@domain/event-type/event-type.js';
import { DomainError } from '@domain/shared/domain-error.js';
import { checkInstants } from '@domain/shared/instant.js';
import { Clock } from '../ports/clock.js';
import { IdGenerator } from '../ports/id-generator.js';
import { BookingRepository, retryOnWriteConflict } from '../ports/booking.repository.js';
import { RoomCalendars } from '../availability/room-calendars.js';
import { bookedWithFirstFreeRoom, freeRoomsFor, roomCandidates } from './booking-rooms.js';
import { EventTypeRepository } from '../ports/event-type.repository.js';
import { UnitOfWork } from '../ports/unit-of-work.js';
import { HostCalendars } from '../availability/host-calendars.js';
import { BookingCommitter } from './booking-committer.js';
import { hostsOffering, slotUnavailable, zonesOf, type OfferingHost } from './book-slot.use-case.js';
import { FirstCalendarAttempt } from './first-calendar-attempt.js';
import { MemberAccessReadModel } from '../ports/member-access.read-model.js';

export class RescheduleBooking {
  constructor(
    private readonly bookings: BookingRepository,
    private readonly eventTypes: EventTypeRepository,
    private readonly hostCalendars: HostCalendars,
    private readonly committer: BookingCommitter,
    private readonly firstAttempt: FirstCalendarAttempt,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
    private readonly uow: UnitOfWork,
    private readonly rooms: RoomCalendars,
    private readonly access: MemberAccessReadModel,
  ) {}

  execute(input: { workspaceId: string; bookingId: string; start: Date }): Promise<Booking> {
    return this.access.oncePerUnit(() => this.reschedule(input));
  }

  private async reschedule(input: { workspaceId: string; bookingId: string; start: Date }): Promise<Booking> {
    checkInstants({ start: input.start });
    const booking = await this.bookings.findById(input.workspaceId, input.bookingId);
    if (!booking) throw DomainError.notFound('Booking');
    if (!booking.isConfirmed) {
      throw DomainError.validation([
        { field: 'status', message: 'a cancelled booking cannot be rescheduled' },
      ]);
    }
    const eventType = await this.eventTypes.findById(input.workspaceId, booking.eventTypeId);
    if (!eventType) throw slotUnavailable();
    const now = this.clock.now();
    const outlookEvent = booking.outlookEvent && {
      start: booking.outlookEvent.start.getTime(),
      end: booking.outlookEvent.end.getTime(),
    };
    const start = input.start.getTime();
    const free = await hostsOffering(this.hostCalendars, eventType, start, now, {
      ignoreBooking: { id: booking.id, hostId: booking.hostId, hostIds: booking.hostIds, outlookEvent },
    });
    const own = free.find((h) => h.hostId === booking.hostId);
    const others = free.filter((h) => h !== own);
    const candidates =
      eventType.assignment === 'round_robin' ? (own ? [own, ...others] : others) : own ? [own] : [];
    // Collective: every host of the booking must offer the new start (the engine gave all or none).
    const coHostZones = booking.isCollective ? zonesOf(others) : undefined;
    if (booking.isCollective && !booking.hostIds.every((id) => free.some((h) => h.hostId === id)))
      throw slotUnavailable();
    if (candidates.length === 0) throw slotUnavailable();
    // The rooms it tries at the new time (`[null]` for an event type without rooms: moveTo then keeps none).
    const rooms = eventType.rooms
      ? roomCandidates(
          eventType,
          await freeRoomsFor(
            this.rooms,
            eventType,
            free.map((h) => ({ hostId: h.hostId, problem: null })),
            start,
            start + eventType.durationMinutes * 60_000,
            now,
            booking.room
              ? {
                  bookingId: booking.id,
                  room: booking.room.email,
                  meeting: outlookEvent,
                }
              : undefined,
          ),
          booking.room?.email ?? null,
        )
      : [null];
    if (rooms.length === 0) throw slotUnavailable();
    for (const host of candidates) {
      // A room a racing booking or hold took passes to the next; every room gone: the time is unavailable.
      const moved = await bookedWithFirstFreeRoom(
        rooms,
        (room) => this.moveTo(input, host, eventType.rooms ? room : undefined, now, eventType, coHostZones),
        slotUnavailable,
      );
      if (moved) return this.firstAttempt.runWithoutAnnouncing(moved);
    }
    throw slotUnavailable();
  }

  /** The booking moved to `input.start` with `host` and `room` (undefined: its own), in one transaction. */
  private moveTo(
    input: { workspaceId: string; bookingId: string; start: Date },
    { hostId, policy }: OfferingHost,
    room: BookingRoom | null | undefined,
    now: Date,
    eventType: EventType,
    coHostZones: Record<string, string> | undefined,
  ): Promise<Booking> {
    return retryOnWriteConflict(() =>
      this.uow.transactional(async () => {
        // Read locked: a calendar sync finishing meanwhile (its event id, its link) is in what we write.
        const moved = await this.bookings.findForUpdate(input.workspaceId, input.bookingId);
        if (!moved || !moved.isConfirmed) throw slotUnavailable();
        moved.reschedule({ start: input.start, room, now });
        if (hostId !== moved.hostId) {
          // Another host's time is blocked with their buffers, as a booking made with them would be.
          moved.reassign({
            hostId,
            transactionId: this.ids.next(),
            bufferBeforeMinutes: policy.bufferBeforeMinutes,
            bufferAfterMinutes: policy.bufferAfterMinutes,
            now,
          });
        }
        await this.committer.commit(moved, {
          calendarDueAt: now,
          limits: { limits: eventType.limits, timeZone: policy.timeZone, coHostTimeZones: coHostZones },
        });
        return moved;
      }),
    );
  }
}
