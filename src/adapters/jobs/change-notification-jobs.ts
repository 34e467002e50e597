// The background loops of Graph change notifications: the inbox worker (every second) and the renewal of
// subscriptions (every minute). Each runs on a @nestjs/schedule interval without overlapping itself; the
// claims in the database make several instances safe. Tests switch the timers off and call the *Once methods.
import type { WorkspaceReadCache } from '../persistence/workspace-read-cache.js';
import { inRequestScope, requestWrote } from '../persistence/request-writes.js';
import type { SchedulerRegistry } from '@nestjs/schedule';
import type {
  ProcessCalendarNotifications,
  ProcessReport,
} from '@application/notification/process-calendar-notifications.use-case.js';
import type {
  RenewCalendarSubscriptions,
  RenewalOutcome,
} from '@application/notification/renew-calendar-subscriptions.use-case.js';
import { IntervalJobs } from './interval-jobs.js';

export class ChangeNotificationJobsOptions {
  enabled = true;
  workerIntervalMs = 1000;
  renewalIntervalMs = 60_000;
  /** Inbox items claimed per batch, and batches per run at most. */
  batch = 200;
  batchesPerRun = 10;
}

export class ChangeNotificationJobs extends IntervalJobs {
  constructor(
    private readonly process: ProcessCalendarNotifications,
    private readonly renewals: RenewCalendarSubscriptions,
    private readonly options: ChangeNotificationJobsOptions,
    scheduler: SchedulerRegistry,
    /** A run that handled notifications ends once every instance's read cache has heard of what it wrote. */
    private readonly reads: Pick<WorkspaceReadCache, 'settled'>,
  ) {
    super('ChangeNotificationJobs', scheduler, () => options.enabled);
  }

  protected schedule(): void {
    this.every('notifications.inbox', this.options.workerIntervalMs, () => this.processOnce());
    this.every('notifications.renewals', this.options.renewalIntervalMs, () => this.renewOnce());
  }

  /** Drains the inbox (up to batchesPerRun batches); returns the sum of the reports. */
  processOnce(): Promise<ProcessReport> {
    return inRequestScope(async () => {
      const total: ProcessReport = { claimed: 0, rejected: 0, failed: 0 };
      for (let i = 0; i < this.options.batchesPerRun; i++) {
        const report = await this.process.runOnce(this.options.batch);
        total.claimed += report.claimed;
        total.rejected += report.rejected;
        total.failed += report.failed;
        if (report.claimed < this.options.batch) break;
      }
      if (requestWrote()) await this.reads.settled();
      return total;
    });
  }

  renewOnce(): Promise<RenewalOutcome[]> {
    return this.renewals.runOnce();
  }
}
