// The background loops of bookings: the calendar-sync worker (brings Outlook in line with bookings,
// retrying with backoff) and the reminders (booking.reminder before each start); and the purge of expired
// Idempotency-Key records and OAuth states, which bookings' creates leave most of, and of audit events past
// their retention. Each runs on a @nestjs/schedule interval without overlapping itself (IntervalJobs); the
// claims in the database make several instances safe. Tests switch the timers off and call the *Once methods.
import type { WorkspaceReadCache } from '../persistence/workspace-read-cache.js';
import { inRequestScope, requestWrote } from '../persistence/request-writes.js';
import type { SchedulerRegistry } from '@nestjs/schedule';
import type { SyncBookingCalendar } from '@application/booking/sync-booking-calendar.use-case.js';
import type { SendDueReminders } from '@application/booking/send-due-reminders.use-case.js';
import type {
  PurgeExpiredRecords,
  PurgeReport,
} from '@application/maintenance/purge-expired-records.use-case.js';
import { IntervalJobs } from './interval-jobs.js';

export class BookingJobsOptions {
  enabled = true;
  syncIntervalMs = 1000;
  reminderIntervalMs = 15_000;
  purgeIntervalMs = 10 * 60_000;
  /** Bookings synced per run at most. */
  batch = 25;
}

export class BookingJobs extends IntervalJobs {
  constructor(
    private readonly sync: SyncBookingCalendar,
    private readonly reminders: SendDueReminders,
    private readonly options: BookingJobsOptions,
    scheduler: SchedulerRegistry,
    private readonly purge: PurgeExpiredRecords,
    /** A run that wrote ends once every instance's read cache has heard of it. */
    private readonly reads: Pick<WorkspaceReadCache, 'settled'>,
  ) {
    super('BookingJobs', scheduler, () => options.enabled);
  }

  protected schedule(): void {
    this.every('bookings.calendar-sync', this.options.syncIntervalMs, () => this.syncOnce());
    this.every('bookings.reminders', this.options.reminderIntervalMs, () => this.remindOnce());
    this.every('housekeeping.purge', this.options.purgeIntervalMs, () => this.purgeOnce());
  }

  /** Syncs every due booking (up to the batch); returns how many were processed. */
  syncOnce(): Promise<number> {
    return inRequestScope(async () => {
      let done = 0;
      while (done < this.options.batch) {
        const outcome = await this.sync.runOnce();
        if (outcome === 'nothing') break;
        done++;
      }
      if (requestWrote()) await this.reads.settled();
      return done;
    });
  }

  remindOnce(): Promise<number> {
    return this.reminders.runOnce();
  }

  purgeOnce(): Promise<PurgeReport> {
    return this.purge.execute();
  }
}
