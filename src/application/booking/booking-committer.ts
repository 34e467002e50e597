// commit(booking): the one way a booking's change is written. In one transaction it saves the row (or
// inserts a new one), queues the calendar work the booking still needs, and appends the facts its
// transitions recorded to the outbox, numbered, as the webhook events built by `bookingEvent`. A booking of
// an event type with limits is first counted against the host's other bookings of it, under the host's lock
// (each host of a collective booking, in the order of their ids, with their own zone).
import type { Booking } from '@domain/booking/booking.js';
import type { BookingLimits } from '@domain/availability/booking-limits.js';
import { BookingRepository } from '../ports/booking.repository.js';
import { CalendarSyncQueue, type CalendarSyncClaim } from '../ports/calendar-sync.queue.js';
import { DomainEventOutbox } from '../ports/domain-event.outbox.js';
import { UnitOfWork } from '../ports/unit-of-work.js';
import { BookingResources } from './booking-resource.js';
import { bookingEvent } from './booking-events.js';
import { refuseOverLimits, type LimitedWrite } from './limits-under-lock.js';

export interface CommitOptions {
  /** A booking not stored yet: inserted, with the request's idempotency key digest if any. */
  insert?: { idempotencyKey: string | null };
  /** Queue calendar work (when the booking needs it), due at this time. Absent: the queue is untouched. */
  calendarDueAt?: Date;
  /**
   * With `insert` and `calendarDueAt`: the caller writes the new booking's event itself at once, so its queue
   * entry starts claimed by it for this long (`commit` returns the claim; no worker takes it meanwhile).
   */
  claimCalendarWorkForMs?: number;
  /**
   * The event type's limits and the zone of the booking's host: the booking is refused (SlotTaken) when its
   * host's other confirmed bookings and live holds of the type, read under the host's lock, leave no room for it.
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
   * then, and the booking keeps its facts for a retry of the whole read-change-commit. Returns the calendar
   * work's claim when `claimCalendarWorkForMs` asked for one (else null).
   */
  commit(booking: Booking, options: CommitOptions = {}): Promise<CalendarSyncClaim | null> {
    return this.uow.transactional(async () => {
      if (options.limits && booking.isConfirmed) await this.checkLimits(booking, options.limits);
      if (options.insert) await this.bookings.add(booking, options.insert.idempotencyKey);
      else await this.bookings.save(booking);
      const claim = await this.queueCalendarWork(booking, options);
      for (const fact of booking.pendingFacts)
        await this.outbox.record(bookingEvent(fact, booking, this.resources));
      booking.pullFacts();
      return claim;
    });
  }

  private async queueCalendarWork(
    booking: Booking,
    options: CommitOptions,
  ): Promise<CalendarSyncClaim | null> {
    const { calendarDueAt: due, claimCalendarWorkForMs: leaseMs, insert } = options;
    if (!due || !booking.needsCalendarWork) return null;
    if (insert && leaseMs) return this.queue.enqueueClaimed(booking.workspaceId, booking.id, due, leaseMs);
    await this.queue.enqueue(booking.workspaceId, booking.id, due);
    return null;
  }

  /** Each host's count, under its lock, in one order (by id) as the repository takes them, in its own zone. */
  private async checkLimits(
    booking: Booking,
    { limits, timeZone, coHostTimeZones = {} }: NonNullable<CommitOptions['limits']>,
  ): Promise<void> {
    for (const hostId of [...booking.hostIds].sort()) {
      const zone = hostId === booking.hostId ? timeZone : (coHostTimeZones[hostId] ?? timeZone);
      await refuseOverLimits(this.bookings, { ...limitedWrite(booking), hostId }, { limits, timeZone: zone });
    }
  }
}

/** The booking as a write the limits count: at its `updatedAt`, the instant live holds are judged by. */
function limitedWrite(booking: Booking): LimitedWrite {
  const { id, workspaceId, hostId, eventTypeId, start, end, updatedAt } = booking.view();
  return { id, workspaceId, hostId, eventTypeId, start, end, at: updatedAt };
}
