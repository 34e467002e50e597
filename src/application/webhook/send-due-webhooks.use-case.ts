// Sends the deliveries that are due, each claimed by exactly one instance, and records every outcome:
// success, a retry with backoff (a warn line), or failure for good after 24 hours (an error line).
import type { AttemptOutcome, WebhookDelivery } from '@domain/webhook/webhook-delivery.js';
import type { WebhookEndpoint } from '@domain/webhook/webhook-endpoint.js';
import { Clock } from '../ports/clock.js';
import { WebhookDeliveryRepository } from '../ports/webhook-delivery.repository.js';
import { WebhookEndpointRepository } from '../ports/webhook-endpoint.repository.js';
import { WebhookSender } from '../ports/webhook.sender.js';
import { OperationalLog } from '../ports/operational-log.js';

export interface SendReport {
  attempted: number;
  succeeded: number;
  /** Failed for good (24 hours of retries are over). */
  failed: number;
  /** Failed, and tried again later. */
  retrying: number;
}

export class SendDueWebhooks {
  constructor(
    private readonly deliveries: WebhookDeliveryRepository,
    private readonly endpoints: WebhookEndpointRepository,
    private readonly sender: WebhookSender,
    private readonly clock: Clock,
    private readonly log: OperationalLog,
  ) {}

  /**
   * Sends up to `limit` deliveries. A booking's next delivery to an endpoint becomes due only once the one
   * before it is done, so rounds follow each other while they find work: a burst of one booking's events
   * goes out in one run, in order.
   */
  async execute(input: { limit: number }): Promise<SendReport> {
    const report: SendReport = { attempted: 0, succeeded: 0, failed: 0, retrying: 0 };
    while (report.attempted < input.limit) {
      const round = await this.round(input.limit - report.attempted);
      if (round.attempted === 0) break;
      report.attempted += round.attempted;
      report.succeeded += round.succeeded;
      report.failed += round.failed;
      report.retrying += round.retrying;
    }
    return report;
  }

  private async round(limit: number): Promise<SendReport> {
    const claimed = await this.deliveries.claimDue(this.clock.now(), limit);
    const endpoints = new Map<string, Promise<WebhookEndpoint | null>>();
    const endpointOf = (d: WebhookDelivery) => {
      let found = endpoints.get(d.endpointId);
      if (!found) {
        found = this.endpoints.findById(d.workspaceId, d.endpointId);
        endpoints.set(d.endpointId, found);
      }
      return found;
    };
    // Receivers are independent: one slow endpoint must not hold up the others' deliveries.
    const outcomes = await Promise.all(claimed.map((d) => this.attempt(d, endpointOf(d))));
    return {
      attempted: claimed.length,
      succeeded: outcomes.filter((o) => o === 'succeeded').length,
      failed: outcomes.filter((o) => o === 'failed').length,
      retrying: outcomes.filter((o) => o === 'pending').length,
    };
  }

  private async attempt(
    delivery: WebhookDelivery,
    endpoint: Promise<WebhookEndpoint | null>,
  ): Promise<string> {
    let outcome: AttemptOutcome;
    try {
      const target = await endpoint;
      // Deleting an endpoint deletes its deliveries; one claimed just before has nowhere to go.
      if (!target) return 'gone';
      outcome =
        target.secret === null
          ? // Its secret cannot be read (e.g. a key the operator removed): this delivery records why.
            { ok: false, status: null, error: `not sent: ${target.secretProblem}` }
          : await this.sender.send({
              endpointId: target.id,
              url: target.url,
              secret: target.secret,
              eventId: delivery.eventId,
              eventType: delivery.eventType,
              body: delivery.body,
              signedAt: this.clock.now(),
            });
    } catch (error) {
      // Not sent at all (the endpoint could not be read): still an attempt, so it backs off and ends.
      outcome = {
        ok: false,
        status: null,
        error: `not sent: ${error instanceof Error ? error.message : String(error)}`,
      };
    }
    delivery.finishAttempt(outcome, this.clock.now());
    await this.deliveries.saveOutcome(delivery);
    if (!outcome.ok) this.report(delivery, outcome);
    return delivery.status;
  }

  private report(delivery: WebhookDelivery, outcome: { status: number | null; error: string }): void {
    const s = delivery.toSnapshot();
    const fields = {
      workspaceId: s.workspaceId,
      endpointId: s.endpointId,
      deliveryId: s.id,
      eventId: s.eventId,
      eventType: s.eventType,
      attempt: s.attempts,
      status: outcome.status,
      error: outcome.error,
      nextAttemptAt: s.nextAttemptAt?.toISOString() ?? null,
    };
    if (s.status === 'failed')
      this.log.error(
        'webhook.delivery_failed',
        `Webhook ${s.eventType} to endpoint ${s.endpointId} given up after ${s.attempts} attempts over 24 hours: ${outcome.error}`,
        fields,
      );
    else
      this.log.warn(
        'webhook.attempt_failed',
        `Webhook ${s.eventType} to endpoint ${s.endpointId} failed (attempt ${s.attempts}), retried at ${fields.nextAttemptAt}: ${outcome.error}`,
        fields,
      );
  }
}
