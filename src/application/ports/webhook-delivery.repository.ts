// The delivery queue of outbound webhooks and its log: what was sent where, and how it went.
import type { WebhookDelivery } from '@domain/webhook/webhook-delivery.js';
import type { Page, PageRequest } from '../shared/page.js';

export abstract class WebhookDeliveryRepository {
  /** Adds deliveries; one that exists for the same endpoint and event is skipped (a dispatch retried). */
  abstract addMany(deliveries: WebhookDelivery[]): Promise<void>;
  /**
   * Claims up to `limit` due deliveries and starts an attempt on each (`startAttempt(now)`), atomically:
   * of several instances claiming at once, each delivery goes to exactly one.
   */
  abstract claimDue(now: Date, limit: number): Promise<WebhookDelivery[]>;
  /**
   * Stores the outcome of the attempt the delivery was claimed for; false (and nothing written) when that
   * attempt is no longer current (its lease ran out and another instance started a newer one).
   */
  abstract saveOutcome(delivery: WebhookDelivery): Promise<boolean>;
  /** An endpoint's deliveries, newest first, paged over (createdAt, id) descending. */
  abstract listByEndpoint(
    workspaceId: string,
    endpointId: string,
    page: PageRequest,
  ): Promise<Page<WebhookDelivery>>;
}
