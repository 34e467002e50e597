// booking.reminder, `reminderMinutes` (a workspace setting) before each confirmed booking, with the
// current join link. The bookings are locked while their reminder is recorded, so each goes out exactly
// once even with several instances running this job; the booking decides whether it is due.
import { Clock } from '../ports/clock.js';
import { BookingRepository } from '../ports/booking.repository.js';
import { UnitOfWork } from '../ports/unit-of-work.js';
import { BookingCommitter } from './booking-committer.js';

export class SendDueReminders {
  constructor(
    private readonly bookings: BookingRepository,
    private readonly committer: BookingCommitter,
    private readonly clock: Clock,
    private readonly uow: UnitOfWork,
  ) {}

  async runOnce(limit = 100): Promise<number> {
    const now = this.clock.now();
    return this.uow.transactional(async () => {
      let sent = 0;
      for (const { booking, reminderMinutes } of await this.bookings.lockDueReminders(now, limit)) {
        if (!booking.remind(now, reminderMinutes)) continue;
        await this.committer.commit(booking);
        sent++;
      }
      return sent;
    });
  }
}
