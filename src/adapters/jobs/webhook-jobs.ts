// The two background loops of outbound webhooks: the dispatcher (domain events → deliveries) and the sender
// (due deliveries → HTTP). Each runs on a @nestjs/schedule interval, never overlapping itself within an
// instance; tests switch the timers off (`WebhookJobsOptions.enabled = false` before `app.init()`) and call
// `runOnce()` instead.
import type { SchedulerRegistry } from '@nestjs/schedule';
import type { DispatchWebhookEvents } from '@application/webhook/dispatch-webhook-events.use-case.js';
import type { SendDueWebhooks, SendReport } from '@application/webhook/send-due-webhooks.use-case.js';
import { IntervalJobs } from './interval-jobs.js';
import type { Metrics } from '../observability/metrics.js';

/** Injectable settings of the webhook jobs; the defaults are the production ones. */
export class WebhookJobsOptions {
  /** Whether the timers run. Tests turn them off and drive `WebhookJobs.runOnce()` themselves. */
  enabled = true;
  intervalMs = 1000;
  /** Events dispatched, or deliveries sent, per batch. */
  batchSize = 50;
  /** Dispatch batches per run at most, so that one run cannot hold the loop for ever. */
  maxBatches = 20;
}

export interface WebhookRunReport extends SendReport {
  events: number;
  deliveries: number;
}

/** Runs one piece of work at a time: each `run` starts after the previous one has ended. */
class Serial<T> {
  private tail: Promise<unknown> = Promise.resolve();
  private pending = 0;

  get busy(): boolean {
    return this.pending > 0;
  }

  run(work: () => Promise<T>): Promise<T> {
    this.pending++;
    const result = this.tail
      .catch(() => undefined)
      .then(work)
      .finally(() => {
        this.pending--;
      });
    this.tail = result;
    return result;
  }

  /** Resolves once nothing is running or queued. */
  async idle(): Promise<void> {
    for (;;) {
      const tail = this.tail;
      await tail.catch(() => undefined);
      if (tail === this.tail) return;
    }
  }
}

export class WebhookJobs extends IntervalJobs {
  private readonly dispatching = new Serial<{ events: number; deliveries: number }>();
  private readonly sending = new Serial<SendReport>();

  constructor(
    private readonly dispatch: DispatchWebhookEvents,
    private readonly send: SendDueWebhooks,
    private readonly options: WebhookJobsOptions,
    scheduler: SchedulerRegistry,
    private readonly metrics: Metrics | null = null,
  ) {
    super('WebhookJobs', scheduler, () => options.enabled);
  }

  // A tick is skipped while a run of that loop, the timer's or a runOnce(), is in progress.
  protected schedule(): void {
    const { intervalMs } = this.options;
    this.every(
      'webhooks.dispatch',
      intervalMs,
      () => this.dispatchOnce(),
      () => this.dispatching.busy,
    );
    this.every(
      'webhooks.send',
      intervalMs,
      () => this.sendOnce(),
      () => this.sending.busy,
    );
  }

  override async beforeApplicationShutdown(): Promise<void> {
    await super.beforeApplicationShutdown();
    // Let a runOnce() in flight record its outcomes too before the database closes.
    await Promise.all([this.dispatching.idle(), this.sending.idle()]);
  }

  /** Dispatches every pending event (in batches), then sends what is due: one full turn of both loops. */
  async runOnce(): Promise<WebhookRunReport> {
    const dispatched = await this.dispatchOnce();
    const sent = await this.sendOnce();
    return { ...dispatched, ...sent };
  }

  /** A run already in progress (e.g. the timer's) is awaited, then a fresh run follows. */
  dispatchOnce(): Promise<{ events: number; deliveries: number }> {
    return this.dispatching.run(async () => {
      const total = { events: 0, deliveries: 0 };
      for (let batch = 0; batch < this.options.maxBatches; batch++) {
        const done = await this.dispatch.execute({ limit: this.options.batchSize });
        total.events += done.events;
        total.deliveries += done.deliveries;
        // A booking's next event waits for the batch that dispatches the one before it: go on while any came.
        if (done.events === 0) break;
      }
      return total;
    });
  }

  sendOnce(): Promise<SendReport> {
    return this.sending.run(async () => {
      const report = await this.send.execute({ limit: this.options.batchSize });
      this.metrics?.webhookDelivery('succeeded', report.succeeded);
      this.metrics?.webhookDelivery('retrying', report.retrying);
      this.metrics?.webhookDelivery('failed', report.failed);
      return report;
    });
  }
}
