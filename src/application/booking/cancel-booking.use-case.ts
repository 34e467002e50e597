// Cancels a booking: its time is freed at once, and the Outlook event is cancelled with the reason, so
// attendees are told and the Teams meeting goes with it.
import type { Booking } from '@domain/booking/booking.js';
import { DomainError } from '@domain/shared/domain-error.js';
import { Clock } from '../ports/clock.js';
import { BookingRepository, retryOnWriteConflict } from '../ports/booking.repository.js';
import { UnitOfWork } from '../ports/unit-of-work.js';
import { BookingCommitter } from './booking-committer.js';
import { FirstCalendarAttempt } from './first-calendar-attempt.js';

export const MAX_REASON_LENGTH = 1000;

export class CancelBooking {
  constructor(
    private readonly bookings: BookingRepository,
    private readonly committer: BookingCommitter,
    private readonly firstAttempt: FirstCalendarAttempt,
    private readonly clock: Clock,
    private readonly uow: UnitOfWork,
  ) {}

  async execute(input: { workspaceId: string; bookingId: string; reason: string | null }): Promise<Booking> {
    if (input.reason !== null && input.reason.length > MAX_REASON_LENGTH) {
      throw DomainError.validation([
        { field: 'reason', message: `must be at most ${MAX_REASON_LENGTH} characters` },
      ]);
    }
    // Read locked: a calendar sync finishing meanwhile waits for this cancel, and then keeps it.
    const booking = await retryOnWriteConflict(() =>
      this.uow.transactional(async () => {
        const booking = await this.bookings.findForUpdate(input.workspaceId, input.bookingId);
        if (!booking) throw DomainError.notFound('Booking');
        if (!booking.isConfirmed) {
          throw DomainError.validation([{ field: 'status', message: 'this booking is already cancelled' }]);
        }
        const now = this.clock.now();
        booking.cancel({ by: 'guest', reason: input.reason, now });
        await this.committer.commit(booking, { calendarDueAt: now });
        return booking;
      }),
    );
    return this.firstAttempt.runWithoutAnnouncing(booking);
  }
}
