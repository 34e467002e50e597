// The background loops of bookings: the calendar-sync worker (brings Outlook in line with bookings,
// retrying with backoff) and the reminders (booking.reminder before each start); and the purge of expired
// Idempotency-Key records and OAuth states, which bookings' creates leave most of. Each runs on a
// @nestjs/schedule interval without overlapping itself; the claims in the database make several
// instances safe. Tests switch the timers off and call runOnce().
import { Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { SchedulerRegistry } from '@nestjs/schedule';
import type { SyncBookingCalendar } from '@application/booking/sync-booking-calendar.use-case.js';
import type { SendDueReminders } from '@application/booking/send-due-reminders.use-case.js';
import type {
  PurgeExpiredRecords,
  PurgeReport,
} from '@application/maintenance/purge-expired-records.use-case.js';

export class BookingJobsOptions {
  enabled = true;
  syncIntervalMs = 1000;
  reminderIntervalMs = 15_000;
  purgeIntervalMs = 10 * 60_000;
  /** Bookings synced per run at most. */
  batch = 25;
}

export class BookingJobs implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('BookingJobs');
  private readonly running = new Map<string, Promise<unknown>>();
  private readonly timers: string[] = [];

  constructor(
    private readonly sync: SyncBookingCalendar,
    private readonly reminders: SendDueReminders,
    private readonly options: BookingJobsOptions,
    private readonly scheduler: SchedulerRegistry,
    private readonly purge: PurgeExpiredRecords,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.options.enabled) return;
    this.every('bookings.calendar-sync', this.options.syncIntervalMs, () => this.syncOnce());
    this.every('bookings.reminders', this.options.reminderIntervalMs, () => this.remindOnce());
    this.every('housekeeping.purge', this.options.purgeIntervalMs, () => this.purgeOnce());
  }

  async beforeApplicationShutdown(): Promise<void> {
    for (const name of this.timers.splice(0)) {
      if (this.scheduler.doesExist('interval', name)) this.scheduler.deleteInterval(name);
    }
    await Promise.all([...this.running.values()].map((p) => p.catch(() => undefined)));
  }

  /** Syncs every due booking (up to the batch); returns how many were processed. */
  async syncOnce(): Promise<number> {
    let done = 0;
    while (done < this.options.batch) {
      const outcome = await this.sync.runOnce();
      if (outcome === 'nothing') break;
      done++;
    }
    return done;
  }

  remindOnce(): Promise<number> {
    return this.reminders.runOnce();
  }

  purgeOnce(): Promise<PurgeReport> {
    return this.purge.execute();
  }

  private every(name: string, intervalMs: number, work: () => Promise<unknown>): void {
    const timer = setInterval(() => {
      if (this.running.has(name)) return;
      const run = work()
        .catch((error: unknown) => this.logger.error(`${name} failed: ${String(error)}`))
        .finally(() => this.running.delete(name));
      this.running.set(name, run);
    }, intervalMs);
    this.scheduler.addInterval(name, timer);
    this.timers.push(name);
  }
}
