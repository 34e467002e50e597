// commit(booking): the one way a booking's change is written. In one transaction it saves the row (or
// inserts a new one), queues the calendar work the booking still needs, and appends the facts its
// transitions recorded to the outbox, numbered, as the webhook events built by `bookingEvent`. A booking of
// an event type with limits is first counted against the host's other bookings of it, under the host's lock
// (each host of a collective booking, in the order of their ids, with their own zone).
import type { Booking } from '@domain/booking/booking.js';
import {
  LIMIT_REACH_MS,
  LimitCheck,
  hasLimits,
  type BookingLimits,
} from '@domain/availability/booking-limits.js';
import { BookingRepository, SlotTaken } from '../ports/booking.repository.js';
import { CalendarSyncQueue } from '../ports/calendar-sync.queue.js';
import { DomainEventOutbox } from '../ports/domain-event.outbox.js';
import { UnitOfWork } from '../ports/unit-of-work.js';
import { BookingResources } from './booking-resource.js';
import { bookingEvent } from './booking-events.js';

export interface CommitOptions {
  /** A booking not stored yet: inserted, with the request's idempotency key digest if any. */
  insert?: { idempotencyKey: string | null };
  /** Queue calendar work (when the booking needs it), due at this time. Absent: the queue is untouched. */
  calendarDueAt?: Date;
  /**
   * The event type's limits and the zone of the booking's host: the booking is refused (SlotTaken) when its
   * host's other confirmed bookings of the type, read under the host's lock, leave no room for it.
   */
  limits?: {
    limits: BookingLimits;
    timeZone: string;
    /** A collective booking's co-hosts' zones, by host id (their days and weeks are their own). */
    coHostTimeZones?: Readonly<Record<string, string>>;
  };
}

export class BookingCommitter {
  constructor(
    private readonly bookings: BookingRepository,
    private readonly queue: CalendarSyncQueue,
    private readonly outbox: DomainEventOutbox,
    private readonly resources: BookingResources,
    private readonly uow: UnitOfWork,
  ) {}

  /**
   * Throws what the repository throws (SlotTaken, IdempotencyKeyTaken, WriteConflict): nothing is written
   * then, and the booking keeps its facts for a retry of the whole read-change-commit.
   */
  commit(booking: Booking, options: CommitOptions = {}): Promise<void> {
    return this.uow.transactional(async () => {
      if (options.limits && booking.isConfirmed) await this.checkLimits(booking, options.limits);
      if (options.insert) await this.bookings.add(booking, options.insert.idempotencyKey);
      else await this.bookings.save(booking);
      if (options.calendarDueAt && booking.needsCalendarWork)
        await this.queue.enqueue(booking.workspaceId, booking.id, options.calendarDueAt);
      for (const fact of booking.pendingFacts)
        await this.outbox.record(bookingEvent(fact, booking, this.resources));
      booking.pullFacts();
    });
  }

  private async checkLimits(
    booking: Booking,
    { limits, timeZone, coHostTimeZones = {} }: NonNullable<CommitOptions['limits']>,
  ) {
    if (!hasLimits(limits)) return;
    const slot = { start: booking.start.getTime(), end: booking.end.getTime() };
    // The hosts' locks in one order (by id), as the repository takes them.
    for (const hostId of [...booking.hostIds].sort()) {
      const others = await this.bookings.lockHostBookings(booking.workspaceId, hostId, booking.eventTypeId, {
        start: new Date(slot.start - LIMIT_REACH_MS),
        end: new Date(slot.end + LIMIT_REACH_MS),
      });
      const counted = others
        .filter((b) => b.id !== booking.id)
        .map((b) => ({ id: b.id, start: b.start.getTime(), end: b.end.getTime() }));
      const zone = hostId === booking.hostId ? timeZone : (coHostTimeZones[hostId] ?? timeZone);
      if (!LimitCheck.around(limits, zone, slot, counted).allows(slot.start, slot.end)) throw new SlotTaken();
    }
  }
}
