// After a booking commits, the API waits for the first calendar write (at most 5 s) so that in the normal
// case its answer already carries the Teams link. If Microsoft is slow or failing, the answer says
// `pending`, booking.created goes out now, and booking.updated follows when the write succeeds.
import type { Booking } from '@domain/booking/booking.js';
import { Clock } from '../ports/clock.js';
import { BookingRepository } from '../ports/booking.repository.js';
import { CalendarSyncQueue } from '../ports/calendar-sync.queue.js';
import { DomainEventOutbox } from '../ports/domain-event.outbox.js';
import { UnitOfWork } from '../ports/unit-of-work.js';
import { SyncBookingCalendar } from './sync-booking-calendar.use-case.js';
import { BookingResources } from './booking-resource.js';

export class FirstCalendarAttempt {
  constructor(
    private readonly sync: SyncBookingCalendar,
    private readonly queue: CalendarSyncQueue,
    private readonly bookings: BookingRepository,
    private readonly outbox: DomainEventOutbox,
    private readonly resources: BookingResources,
    private readonly clock: Clock,
    private readonly uow: UnitOfWork,
    private readonly waitMs = 5_000,
  ) {}

  async run(booking: Booking): Promise<Booking> {
    await this.attempt(booking);
    return this.announce(booking);
  }

  /**
   * For a booking made by an earlier request whose process died before answering: its calendar work is
   * done now if it is due, but a lease that dead process still holds is not waited for (it will not end
   * sooner); the booking is answered as it stands, and announced if it was not.
   */
  async resume(booking: Booking): Promise<Booking> {
    await this.attempt(booking, false);
    return this.announce(booking);
  }

  /** For changes whose own event (rescheduled, cancelled) is already recorded. */
  async runWithoutAnnouncing(booking: Booking): Promise<Booking> {
    await this.attempt(booking);
    return (await this.bookings.findById(booking.workspaceId, booking.id)) ?? booking;
  }

  private async attempt(booking: Booking, waitForOthers = true): Promise<void> {
    let answered = false;
    const attempt = (async () => {
      // Another instance's worker may have claimed it first: wait for that write instead of answering
      // `pending`, but only while it is under way (a failed attempt waits for its retry: nothing to wait for).
      while ((await this.sync.runOnce(booking.id).catch(() => 'retry' as const)) === 'nothing') {
        if (!waitForOthers) return;
        if (answered || !(await this.queue.underway(booking.workspaceId, booking.id, this.clock.now())))
          return;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    })();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.waitMs);
    });
    await Promise.race([attempt, timeout]);
    answered = true;
    clearTimeout(timer);
  }

  /** booking.created goes out once: by the sync when it wrote the event, else here, as it stands. */
  private async announce(booking: Booking): Promise<Booking> {
    return this.uow.transactional(async () => {
      const current = (await this.bookings.findById(booking.workspaceId, booking.id)) ?? booking;
      if (!current.announced && (await this.bookings.markAnnounced(current.workspaceId, current.id))) {
        current.markAnnounced();
        await this.outbox.record({
          workspaceId: current.workspaceId,
          type: 'booking.created',
          data: this.resources.of(current),
          occurredAt: this.clock.now(),
        });
      }
      return current;
    });
  }
}
