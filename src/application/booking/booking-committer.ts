// commit(booking): the one way a booking's change is written. In one transaction it saves the row (or
// inserts a new one), queues the calendar work the booking still needs, and appends the facts its
// transitions recorded to the outbox, numbered, as the webhook events built by `bookingEvent`.
import type { Booking } from '@domain/booking/booking.js';
import { BookingRepository } from '../ports/booking.repository.js';
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
      if (options.insert) await this.bookings.add(booking, options.insert.idempotencyKey);
      else await this.bookings.save(booking);
      if (options.calendarDueAt && booking.needsCalendarWork)
        await this.queue.enqueue(booking.workspaceId, booking.id, options.calendarDueAt);
      for (const fact of booking.pendingFacts)
        await this.outbox.record(bookingEvent(fact, booking, this.resources));
      booking.pullFacts();
    });
  }
}
