// Moves a booking to another start. The host keeps it when free; in a round-robin pool another free host
// takes it otherwise (a new event on their calendar, the old one cancelled). The Outlook event is moved
// with a PATCH of its times only, so the Teams meeting and its link stay the same. A collective booking moves
// only to a start every one of its hosts offers, and keeps them all (each host's own buffers as booked).
import type { Booking } from '@domain/booking/booking.js';
import { DomainError } from '@domain/shared/domain-error.js';
import { checkInstants } from '@domain/shared/instant.js';
import { Clock } from '../ports/clock.js';
import { IdGenerator } from '../ports/id-generator.js';
import { BookingRepository, SlotTaken, retryOnWriteConflict } from '../ports/booking.repository.js';
import { EventTypeRepository } from '../ports/event-type.repository.js';
import { UnitOfWork } from '../ports/unit-of-work.js';
import { HostCalendars } from '../availability/host-calendars.js';
import { BookingCommitter } from './booking-committer.js';
import { hostsOffering, slotUnavailable, zonesOf } from './book-slot.use-case.js';
import { FirstCalendarAttempt } from './first-calendar-attempt.js';

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
  ) {}

  async execute(input: { workspaceId: string; bookingId: string; start: Date }): Promise<Booking> {
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
    const free = await hostsOffering(this.hostCalendars, eventType, input.start.getTime(), now, {
      ignoreBooking: {
        id: booking.id,
        hostId: booking.hostId,
        hostIds: booking.hostIds,
        outlookEvent: booking.outlookEvent && {
          start: booking.outlookEvent.start.getTime(),
          end: booking.outlookEvent.end.getTime(),
        },
      },
    });
    const own = free.find((h) => h.hostId === booking.hostId);
    const others = free.filter((h) => h !== own);
    const candidates =
      eventType.assignment === 'round_robin' ? (own ? [own, ...others] : others) : own ? [own] : [];
    // Collective: every host of the booking must offer the new start (the engine gave all or none).
    const coHostZones = booking.isCollective ? zonesOf(others) : undefined;
    if (booking.isCollective && !booking.hostIds.every((id) => free.some((h) => h.hostId === id)))
      throw slotUnavailable();
    for (const { hostId, policy } of candidates) {
      let moved: Booking;
      try {
        moved = await retryOnWriteConflict(() =>
          this.uow.transactional(async () => {
            // Read locked: a calendar sync finishing meanwhile (its event id, its link) is in what we write.
            const moved = await this.bookings.findForUpdate(input.workspaceId, input.bookingId);
            if (!moved || !moved.isConfirmed) throw slotUnavailable();
            moved.reschedule({ start: input.start, now });
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
      } catch (error) {
        if (error instanceof SlotTaken) continue;
        throw error;
      }
      return this.firstAttempt.runWithoutAnnouncing(moved);
    }
    throw slotUnavailable();
  }
}
