// booking.reminder, `reminderMinutes` (a workspace setting) before each confirmed booking, with the
// current join link. The claim is one statement in the database, so each goes out exactly once even with
// several instances running this job.
import { Clock } from '../ports/clock.js';
import { BookingRepository } from '../ports/booking.repository.js';
import { DomainEventOutbox } from '../ports/domain-event.outbox.js';
import { UnitOfWork } from '../ports/unit-of-work.js';
import { BookingResources } from './booking-resource.js';

export class SendDueReminders {
  constructor(
    private readonly bookings: BookingRepository,
    private readonly outbox: DomainEventOutbox,
    private readonly resources: BookingResources,
    private readonly clock: Clock,
    private readonly uow: UnitOfWork,
  ) {}

  async runOnce(limit = 100): Promise<number> {
    const now = this.clock.now();
    return this.uow.transactional(async () => {
      const due = await this.bookings.claimDueReminders(now, limit);
      for (const booking of due) {
        await this.outbox.record({
          workspaceId: booking.workspaceId,
          type: 'booking.reminder',
          data: this.resources.of(booking),
          occurredAt: now,
        });
      }
      return due.length;
    });
  }
}
