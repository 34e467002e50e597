// The background loops of Graph change notifications: the inbox worker (every second) and the renewal of
// subscriptions (every minute). Each runs on a @nestjs/schedule interval without overlapping itself; the
// claims in the database make several instances safe. Tests switch the timers off and call the *Once methods.
import { Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { SchedulerRegistry } from '@nestjs/schedule';
import type {
  ProcessCalendarNotifications,
  ProcessReport,
} from '@application/notification/process-calendar-notifications.use-case.js';
import type {
  RenewCalendarSubscriptions,
  RenewalOutcome,
} from '@application/notification/renew-calendar-subscriptions.use-case.js';

export class ChangeNotificationJobsOptions {
  enabled = true;
  workerIntervalMs = 1000;
  renewalIntervalMs = 60_000;
  /** Inbox items claimed per batch, and batches per run at most. */
  batch = 200;
  batchesPerRun = 10;
}

export class ChangeNotificationJobs implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('ChangeNotificationJobs');
  private readonly running = new Map<string, Promise<unknown>>();
  private readonly timers: string[] = [];

  constructor(
    private readonly process: ProcessCalendarNotifications,
    private readonly renewals: RenewCalendarSubscriptions,
    private readonly options: ChangeNotificationJobsOptions,
    private readonly scheduler: SchedulerRegistry,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.options.enabled) return;
    this.every('notifications.inbox', this.options.workerIntervalMs, () => this.processOnce());
    this.every('notifications.renewals', this.options.renewalIntervalMs, () => this.renewOnce());
  }

  async beforeApplicationShutdown(): Promise<void> {
    for (const name of this.timers.splice(0)) {
      if (this.scheduler.doesExist('interval', name)) this.scheduler.deleteInterval(name);
    }
    await Promise.all([...this.running.values()].map((p) => p.catch(() => undefined)));
  }

  /** Drains the inbox (up to batchesPerRun batches); returns the sum of the reports. */
  async processOnce(): Promise<ProcessReport> {
    const total: ProcessReport = { claimed: 0, rejected: 0, failed: 0 };
    for (let i = 0; i < this.options.batchesPerRun; i++) {
      const report = await this.process.runOnce(this.options.batch);
      total.claimed += report.claimed;
      total.rejected += report.rejected;
      total.failed += report.failed;
      if (report.rejected > 0)
        this.logger.warn(`dropped ${report.rejected} notification(s) with a wrong clientState`);
      if (report.claimed < this.options.batch) break;
    }
    return total;
  }

  renewOnce(): Promise<RenewalOutcome[]> {
    return this.renewals.runOnce();
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
